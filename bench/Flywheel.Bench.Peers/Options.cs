using System.Globalization;

namespace Flywheel.Bench.Peers;

/// <summary>`--name value` pairs of one command.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _values;

    private Options(Dictionary<string, string> values) => _values = values;

    public static Options Parse(ReadOnlySpan<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new BenchUsageException($"bad argument '{args[i]}'");
            }

            values[args[i]] = args[++i];
        }

        return new Options(values);
    }

    public string Required(string name) => _values.TryGetValue(name, out var value) ? value : throw new BenchUsageException($"{name} is required");

    public string? Optional(string name) => _values.GetValueOrDefault(name);

    public int Int(string name, int fallback) =>
        !_values.TryGetValue(name, out var text) ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value
        : throw new BenchUsageException($"{name} takes a whole number of at least 1, not '{text}'");

    /// <summary>Fails on any option the command does not know (a typo would otherwise be ignored).</summary>
    public void Allow(params string[] names)
    {
        foreach (var name in _values.Keys.Where(k => !names.Contains(k)))
        {
            throw new BenchUsageException($"unknown option {name}");
        }
    }
}
