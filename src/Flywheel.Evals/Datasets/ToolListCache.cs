using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Flywheel.Evals.Datasets;

/// <summary>Shares one built tool list among the rows whose "tools" JSON is byte for byte the same.</summary>
/// <remarks>
/// An agent's rows offer it the same functions row after row, and the definitions are the largest part of a row: each
/// row building its own names, descriptions and schema elements again was a quarter of a gate's row building. Shared
/// lists point into a copy of the JSON that the cache owns, so they outlive the row documents they were read from.
/// </remarks>
internal sealed class ToolListCache
{
    // Datasets with more distinct tool lists than this build the rest per row, as before; memory stays bounded.
    private const int MaxLists = 64;

    private readonly Lock _lock = new();
    private readonly Dictionary<byte[], IReadOnlyList<ToolDefinition>> _lists = new(RawJsonComparer.Instance);

    /// <summary>The list built from JSON byte for byte the same as <paramref name="tools"/>, a row's that passed every check; false when there is none.</summary>
    public bool TryGet(JsonElement tools, [NotNullWhen(true)] out IReadOnlyList<ToolDefinition>? list)
    {
        var raw = JsonMarshal.GetRawUtf8Value(tools);
        lock (_lock)
        {
            return _lists.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(raw, out list);
        }
    }

    /// <summary>The list for <paramref name="tools"/>: a shared one when the same JSON was seen, else built by <paramref name="build"/>.</summary>
    public IReadOnlyList<ToolDefinition> GetOrBuild(JsonElement tools, Func<JsonElement, IReadOnlyList<ToolDefinition>> build)
    {
        var raw = JsonMarshal.GetRawUtf8Value(tools);
        var lookup = _lists.GetAlternateLookup<ReadOnlySpan<byte>>();
        lock (_lock)
        {
            if (lookup.TryGetValue(raw, out var shared))
            {
                return shared;
            }

            if (_lists.Count >= MaxLists)
            {
                return build(tools);
            }
        }

        // Built outside the lock from a copy the cache keeps; another thread may build the same list meanwhile, and the
        // first one stored wins.
        var list = build(tools.Clone());
        lock (_lock)
        {
            return lookup.TryAdd(raw, list) ? list : lookup[raw];
        }
    }

    private sealed class RawJsonComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly RawJsonComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => Hash(obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

        // The string hash (Marvin, seeded per process) over the bytes read as chars: fast over kilobytes, and what is
        // left over, an odd last byte, is mixed in.
        private static int Hash(ReadOnlySpan<byte> bytes)
        {
            var hash = string.GetHashCode(MemoryMarshal.Cast<byte, char>(bytes));
            return (bytes.Length & 1) == 0 ? hash : HashCode.Combine(hash, bytes[^1]);
        }
    }
}
