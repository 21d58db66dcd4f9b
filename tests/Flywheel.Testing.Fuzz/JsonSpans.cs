namespace Flywheel.Testing.Fuzz;

/// <summary>Where the values, strings, numbers and object members of a JSON or JSON Lines text lie, so mutations can aim at them.</summary>
/// <remarks>
/// A tolerant scanner, not a parser: the sample files it sees are valid, and on anything else it stops where it got
/// to, so a mutation still has the spans before that point.
/// </remarks>
internal sealed class JsonSpans
{
    private readonly byte[] _text;
    private int _position;

    private JsonSpans(byte[] text)
    {
        _text = text;
    }

    /// <summary>Every value (scalars, objects and arrays), keys excluded; End is exclusive.</summary>
    public List<JsonSpan> Values { get; } = [];

    /// <summary>String values (quotes included), keys excluded.</summary>
    public List<JsonSpan> Strings { get; } = [];

    /// <summary>Number values.</summary>
    public List<JsonSpan> Numbers { get; } = [];

    /// <summary>Object members: the key (quotes included) and the end of its value.</summary>
    public List<JsonMember> Members { get; } = [];

    public static JsonSpans Scan(byte[] text)
    {
        var spans = new JsonSpans(text);
        try
        {
            while (true)
            {
                spans.SkipWhitespace();
                if (spans._position >= text.Length)
                {
                    break;
                }

                spans.Value(depth: 0);
            }
        }
        catch (FormatException)
        {
            // Not JSON from here on: what was found so far is still a target.
        }

        return spans;
    }

    private void Value(int depth)
    {
        if (depth > 200)
        {
            throw new FormatException("nested too deep to aim at");
        }

        SkipWhitespace();
        var start = _position;
        switch (Peek())
        {
            case (byte)'{':
                _position++;
                SkipWhitespace();
                if (Peek() == '}')
                {
                    _position++;
                    break;
                }

                while (true)
                {
                    SkipWhitespace();
                    var keyStart = _position;
                    String();
                    var keyEnd = _position;
                    SkipWhitespace();
                    Expect((byte)':');
                    Value(depth + 1);
                    Members.Add(new JsonMember(keyStart, keyEnd, _position));
                    SkipWhitespace();
                    if (Peek() == ',')
                    {
                        _position++;
                        continue;
                    }

                    Expect((byte)'}');
                    break;
                }

                break;
            case (byte)'[':
                _position++;
                SkipWhitespace();
                if (Peek() == ']')
                {
                    _position++;
                    break;
                }

                while (true)
                {
                    Value(depth + 1);
                    SkipWhitespace();
                    if (Peek() == ',')
                    {
                        _position++;
                        continue;
                    }

                    Expect((byte)']');
                    break;
                }

                break;
            case (byte)'"':
                String();
                Strings.Add(new JsonSpan(start, _position));
                break;
            case (byte)'-' or (>= (byte)'0' and <= (byte)'9'):
                while (_position < _text.Length && _text[_position] is (byte)'-' or (byte)'+' or (byte)'.' or (byte)'e' or (byte)'E' or (>= (byte)'0' and <= (byte)'9'))
                {
                    _position++;
                }

                Numbers.Add(new JsonSpan(start, _position));
                break;
            case (byte)'t' or (byte)'f' or (byte)'n':
                while (_position < _text.Length && _text[_position] is >= (byte)'a' and <= (byte)'z')
                {
                    _position++;
                }

                break;
            default:
                throw new FormatException("not a value");
        }

        Values.Add(new JsonSpan(start, _position));
    }

    private void String()
    {
        Expect((byte)'"');
        while (_position < _text.Length)
        {
            var b = _text[_position++];
            if (b == '\\')
            {
                _position++;
            }
            else if (b == '"')
            {
                return;
            }
        }

        throw new FormatException("unterminated string");
    }

    private void Expect(byte b)
    {
        if (Peek() != b)
        {
            throw new FormatException("unexpected byte");
        }

        _position++;
    }

    private int Peek() => _position < _text.Length ? _text[_position] : -1;

    private void SkipWhitespace()
    {
        while (_position < _text.Length && _text[_position] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            _position++;
        }
    }
}
