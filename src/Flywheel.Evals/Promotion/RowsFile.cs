using System.Text;
using System.Text.Json;
using Flywheel.Evals.Datasets;

namespace Flywheel.Evals.Promotion;

/// <summary>The bytes of one version of rows.jsonl (the work tree's, HEAD's or the index's) and its rows' ids, for inserting a line without touching the others.</summary>
internal sealed class RowsFile
{
    private readonly byte[] _bytes;
    private readonly List<RowsFileLine> _lines;

    private RowsFile(byte[] bytes, List<RowsFileLine> lines, int bodyStart)
    {
        _bytes = bytes;
        _lines = lines;
        BodyStart = bodyStart;
    }

    /// <summary>Where the first line starts: after a UTF-8 byte order mark, if any.</summary>
    public int BodyStart { get; }

    /// <summary>The non-blank lines.</summary>
    public IReadOnlyList<RowsFileLine> Lines => _lines;

    /// <summary>True when every non-blank line has an id and the ids are unique and in ordinal order, so a row has one right place.</summary>
    public bool IsOrdered
    {
        get
        {
            for (var i = 0; i < _lines.Count; i++)
            {
                if (_lines[i].Id is null || (i > 0 && string.CompareOrdinal(_lines[i - 1].Id, _lines[i].Id) >= 0))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Splits <paramref name="bytes"/> into lines and reads each line's id.</summary>
    public static RowsFile Parse(byte[] bytes)
    {
        var bodyStart = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        var lines = new List<RowsFileLine>();
        var number = 0;
        for (var start = bodyStart; start < bytes.Length;)
        {
            number++;
            var newline = Array.IndexOf(bytes, (byte)'\n', start);
            var next = newline < 0 ? bytes.Length : newline + 1;
            var end = newline < 0 ? bytes.Length : newline;
            var terminator = newline < 0 ? string.Empty : end > start && bytes[end - 1] == (byte)'\r' ? "\r\n" : "\n";
            var content = bytes.AsSpan(start, end - start).TrimEnd("\r"u8);
            if (!content.Trim(" \t"u8).IsEmpty)
            {
                lines.Add(new RowsFileLine(number, start, next, terminator, RowIdOrder.PeekId(content)));
            }

            start = next;
        }

        return new RowsFile(bytes, lines, bodyStart);
    }

    /// <summary>The line holding row <paramref name="id"/>, or null.</summary>
    public RowsFileLine? Find(string id) => _lines.FirstOrDefault(l => l.Id == id);

    /// <summary>The line of the row promoted from trace <paramref name="traceId"/> (its <c>source.trace_id</c>), or null.</summary>
    public RowsFileLine? FindTrace(string traceId)
    {
        foreach (var line in _lines)
        {
            if (TraceIdOf(_bytes.AsMemory(line.Start, line.Next - line.Start)) == traceId)
            {
                return line;
            }
        }

        return null;
    }

    /// <summary>The file with <paramref name="json"/> inserted before the first row whose id sorts after <paramref name="id"/>, and that line's number.</summary>
    /// <remarks>
    /// Every other byte stays. The new line takes the ending of the line before it (else of the file's first line, else LF).
    /// Appended after an unterminated last line, that line is ended first, so the file keeps one row per line and ends
    /// with a newline.
    /// </remarks>
    public (byte[] Bytes, int Line) Insert(string id, string json)
    {
        var at = _lines.FindIndex(l => string.CompareOrdinal(l.Id, id) > 0);
        var before = at > 0 ? _lines[at - 1] : at < 0 && _lines.Count > 0 ? _lines[^1] : null;
        var newline = before is { Terminator.Length: > 0 } ? before.Terminator : _lines.FirstOrDefault(l => l.Terminator.Length > 0)?.Terminator ?? "\n";
        var encoded = Encoding.UTF8.GetBytes(json + newline);
        if (at >= 0)
        {
            var next = _lines[at];
            return ([.. _bytes.AsSpan(0, next.Start), .. encoded, .. _bytes.AsSpan(next.Start)], next.Number);
        }

        var needsNewline = _bytes.Length > BodyStart && _bytes[^1] != (byte)'\n';
        var closing = needsNewline ? Encoding.UTF8.GetBytes(newline) : [];
        var lineCount = LineCount();
        return ([.. _bytes, .. closing, .. encoded], lineCount + 1);
    }

    // Physical lines, blank ones included: the number the appended line gets is one more.
    private int LineCount()
    {
        var count = 0;
        for (var i = BodyStart; i < _bytes.Length; i++)
        {
            count += _bytes[i] == (byte)'\n' ? 1 : 0;
        }

        return count + (_bytes.Length > BodyStart && _bytes[^1] != (byte)'\n' ? 1 : 0);
    }

    private static string? TraceIdOf(ReadOnlyMemory<byte> line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("source", out var source) && source.ValueKind == JsonValueKind.Object
                && source.TryGetProperty("trace_id", out var trace) && trace.ValueKind == JsonValueKind.String
                ? trace.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
