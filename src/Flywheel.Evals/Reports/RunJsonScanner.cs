using System.Buffers;
using System.Text.Json;
using Flywheel.Evals.Diagnostics;

namespace Flywheel.Evals.Reports;

/// <summary>What <see cref="RunJsonScanner"/> stopped at.</summary>
internal enum RunJsonItem
{
    /// <summary>A top-level property other than <c>rows</c>, with its whole value.</summary>
    Property,

    /// <summary>One element of the <c>rows</c> array.</summary>
    Row,
}

/// <summary>
/// Reads a run.json file in chunks, one top-level property or one row at a time, without parsing what the caller does not ask for.
/// </summary>
/// <remarks>
/// A 100,000-row run.json is ~90 MB, nine tenths of it passing rows that a report only counts; deserializing the
/// whole document costs seconds and its size in memory. The scanner keeps one chunk (grown only to fit the largest
/// single value) and hands out each value's raw UTF-8 bytes, valid until the next call.
/// </remarks>
internal sealed class RunJsonScanner : IDisposable
{
    private const int InitialBuffer = 1 << 20;
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private readonly Stream _stream;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
    private int _start;
    private int _end;
    private bool _final;
    private JsonReaderState _state = new(ReaderOptions);
    private int _line = 1;
    private int _column;
    private readonly Dictionary<string, (int Line, int Column)> _names = new(StringComparer.Ordinal);
    private Mode _mode = Mode.Start;

    public RunJsonScanner(Stream stream)
    {
        _stream = stream;
    }

    private enum Mode
    {
        Start,
        Properties,
        Rows,
        Done,
    }

    private enum Step
    {
        NeedMore,
        Progress,
        Item,
        End,
    }

    /// <summary>The kind of the current item.</summary>
    public RunJsonItem Kind { get; private set; }

    /// <summary>The current property's name (for <see cref="RunJsonItem.Property"/>).</summary>
    public string Name { get; private set; } = string.Empty;

    /// <summary>The current value's raw JSON; valid until the next call to <see cref="Next"/> or <see cref="NextAsync"/>.</summary>
    public ReadOnlyMemory<byte> Value { get; private set; }

    /// <summary>The 1-based line of the file where the current value starts.</summary>
    public int Line { get; private set; }

    /// <summary>True once the document's <c>rows</c> array has begun.</summary>
    public bool SawRows { get; private set; }

    /// <summary>Moves to the next property or row; false at the end of the document.</summary>
    /// <exception cref="JsonException">The file is not valid JSON or not a JSON object with a rows array.</exception>
    public bool Next()
    {
        while (true)
        {
            switch (TryStep())
            {
                case Step.Item:
                    return true;
                case Step.End:
                    return false;
                case Step.NeedMore:
                    Compact();
                    Filled(_stream.Read(_buffer, _end, _buffer.Length - _end));
                    break;
            }
        }
    }

    /// <inheritdoc cref="Next"/>
    public async ValueTask<bool> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            switch (TryStep())
            {
                case Step.Item:
                    return true;
                case Step.End:
                    return false;
                case Step.NeedMore:
                    Compact();
                    Filled(await _stream.ReadAsync(_buffer.AsMemory(_end, _buffer.Length - _end), cancellationToken).ConfigureAwait(false));
                    break;
            }
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private Step TryStep()
    {
        if (_mode == Mode.Done)
        {
            return Step.End;
        }

        if (_mode == Mode.Start && _line == 1 && _start == 0)
        {
            // A UTF-8 byte-order mark is accepted everywhere; Utf8JsonReader does not skip it itself.
            if (_end < 3 && !_final)
            {
                return Step.NeedMore;
            }

            if (_buffer.AsSpan(0, _end).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                _start = 3;
            }
        }

        if (_mode == Mode.Start && _final && _buffer.AsSpan(_start, _end - _start).Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new JsonException("the file is empty", null, 0, 0);
        }

        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
        if (!reader.Read())
        {
            if (_final)
            {
                throw new JsonException(_mode == Mode.Start ? "the file is empty" : "the file ends before the run does", null, _line - 1, 0);
            }

            return Step.NeedMore;
        }

        switch (_mode)
        {
            case Mode.Start:
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new JsonException("a run is a JSON object", null, _line - 1, 0);
                }

                Commit(ref reader);
                _mode = Mode.Properties;
                return Step.Progress;

            case Mode.Properties:
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    Commit(ref reader);
                    _mode = Mode.Done;
                    return Step.End;
                }

                var nameAt = (int)reader.TokenStartIndex;
                try
                {
                    StrictJson.CheckText(ref reader, _buffer.AsSpan(_start, _end - _start));
                }
                catch (JsonException ex)
                {
                    throw At(ex, 0);
                }

                var name = reader.GetString() ?? string.Empty;
                if (!reader.Read())
                {
                    return Step.NeedMore;
                }

                // Each property is handed out alone, so a key twice is caught here: the strict check sees one value at a time.
                var where = PositionAt(nameAt);
                if (_names.TryGetValue(name, out var first))
                {
                    throw new JsonException($"key '{name}' appears twice in one object (first at line {first.Line + 1}, column {first.Column + 1}); keep one", null, where.Line, where.Column);
                }

                if (name == "rows")
                {
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        throw new JsonException("\"rows\" is not an array", "$.rows", LineAt((int)reader.TokenStartIndex) - 1, 0);
                    }

                    Commit(ref reader);
                    _names[name] = where;
                    SawRows = true;
                    _mode = Mode.Rows;
                    return Step.Progress;
                }

                var step = Capture(ref reader, RunJsonItem.Property, name);
                if (step == Step.Item)
                {
                    _names[name] = where;
                }

                return step;

            default:
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    Commit(ref reader);
                    _mode = Mode.Properties;
                    return Step.Progress;
                }

                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new JsonException("a row is not a JSON object", "$.rows", LineAt((int)reader.TokenStartIndex) - 1, 0);
                }

                return Capture(ref reader, RunJsonItem.Row, string.Empty);
        }
    }

    private Step Capture(ref Utf8JsonReader reader, RunJsonItem kind, string name)
    {
        var valueStart = (int)reader.TokenStartIndex;
        if (!reader.TrySkip())
        {
            return Step.NeedMore;
        }

        Kind = kind;
        Name = name;
        Line = LineAt(valueStart);
        Value = _buffer.AsMemory(_start + valueStart, (int)reader.BytesConsumed - valueStart);
        try
        {
            // Skipping checked only the syntax: the value is held to strict JSON before anyone reads it.
            StrictJson.Check(Value.Span, ReaderOptions);
        }
        catch (JsonException ex)
        {
            throw At(ex, valueStart);
        }

        Commit(ref reader);
        return Step.Item;
    }

    private int LineAt(int offset) => _line + _buffer.AsSpan(_start, offset).Count((byte)'\n');

    /// <summary>The 0-based line and byte in line of the byte <paramref name="offset"/> bytes after the unread part's start.</summary>
    private (int Line, int Column) PositionAt(int offset)
    {
        var before = _buffer.AsSpan(_start, offset);
        var lastNewline = before.LastIndexOf((byte)'\n');
        return (_line - 1 + before.Count((byte)'\n'), lastNewline >= 0 ? offset - lastNewline - 1 : _column + offset);
    }

    /// <summary>A problem found in text that starts <paramref name="offset"/> bytes after the unread part's start, placed in the file.</summary>
    private JsonException At(JsonException problem, int offset)
    {
        var (line, column) = PositionAt(offset);
        var inLine = (int)(problem.LineNumber ?? 0);
        var inByte = (int)(problem.BytePositionInLine ?? 0);
        return new JsonException(JsonErrors.Describe(problem), null, line + inLine, inLine == 0 ? column + inByte : inByte);
    }

    private void Commit(ref Utf8JsonReader reader)
    {
        var consumed = (int)reader.BytesConsumed;
        (_line, _column) = PositionAt(consumed);
        _line++;
        _start += consumed;
        _state = reader.CurrentState;
    }

    private void Compact()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            // One value is larger than the buffer: grow to hold it whole.
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
    }

    private void Filled(int read)
    {
        if (read == 0)
        {
            _final = true;
        }

        _end += read;
    }
}
