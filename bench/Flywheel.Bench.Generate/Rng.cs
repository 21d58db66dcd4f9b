namespace Flywheel.Bench.Generate;

/// <summary>SplitMix64: a tiny, portable generator whose output is fixed by the seed (System.Random's algorithm is not a contract).</summary>
/// <remarks>Each row gets its own stream from (seed, row number), so row k is the same bytes whatever N is.</remarks>
internal sealed class Rng(ulong state)
{
    private ulong _state = state;

    public static Rng ForRow(int seed, long row) => new(((ulong)(uint)seed << 32) ^ ((ulong)row * 0xD1B54A32D192ED03UL));

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>0 &lt;= n &lt; max.</summary>
    public int Next(int max) => (int)(NextUInt64() % (ulong)max);

    /// <summary>min &lt;= n &lt; max.</summary>
    public int Next(int min, int max) => min + Next(max - min);

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double p) => NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>An amount with cents in [min, max).</summary>
    public decimal Money(int min, int max) => Next(min * 100, max * 100) / 100m;

    public string Digits(int count)
    {
        Span<char> digits = stackalloc char[count];
        digits[0] = (char)('1' + Next(9));
        for (var i = 1; i < count; i++)
        {
            digits[i] = (char)('0' + Next(10));
        }

        return new string(digits);
    }

    public string Hex(int count)
    {
        Span<char> hex = stackalloc char[count];
        for (var i = 0; i < count; i++)
        {
            hex[i] = "0123456789abcdef"[Next(16)];
        }

        return new string(hex);
    }
}
