using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Flywheel.Evals;

/// <summary>
/// The checks every JSON file Flywheel reads goes through, beyond what System.Text.Json checks: text that is not UTF-8,
/// a lone UTF-16 surrogate escape (<c>"\ud800"</c>), a key twice in one object, and a number beyond the range of a double.
/// </summary>
/// <remarks>
/// System.Text.Json accepts all four: the first two throw later, wherever the string is read (a crash far from the line
/// at fault), a duplicate key silently lets the last value win, and <c>1e400</c> reads as infinity, equal to <c>9e999</c>.
/// Each problem is a <see cref="JsonException"/> with its 0-based line and byte in line and no path, as the parser's
/// syntax errors are, so readers report both the same way. The parser's own
/// <see cref="JsonDocumentOptions.AllowDuplicateProperties"/> says neither where the key is nor where it was first.
/// </remarks>
public static class StrictJson
{
    // Objects with more keys than this look duplicates up in a hash set instead of comparing with every earlier key.
    private const int LinearKeys = 32;

    /// <summary>Parses <paramref name="utf8"/> after the strict checks.</summary>
    /// <remarks>
    /// Every response of a gate comes through here: the text pays for vectorized screens and for the parser's duplicate
    /// check, and only text that a screen flags or that fails to parse is walked again by <see cref="Check(ReadOnlySpan{byte}, JsonDocumentOptions)"/>,
    /// which says what is wrong and where.
    /// </remarks>
    /// <exception cref="JsonException">The text is not valid JSON, or fails one of the strict checks.</exception>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, JsonDocumentOptions options = default) => Parse(utf8, options, keysAndNumbers: true);

    /// <summary>
    /// Parses <paramref name="utf8"/> after the strict checks of its text only (UTF-8, no half surrogate pair); keys and
    /// numbers are the caller's, which walks the document anyway: it must call <see cref="IsStrict"/> on every part whose
    /// shape it does not know, and <see cref="Check(ReadOnlySpan{byte}, JsonDocumentOptions)"/> on a key it sees twice.
    /// </summary>
    /// <remarks>
    /// For the gate's rows: the shape check walks each row's objects anyway, where a key seen twice costs a bit in a mask
    /// and a number anywhere but in free-form parts is a schema error, while the parser's duplicate check is a third of a
    /// row's parse.
    /// </remarks>
    /// <exception cref="JsonException">The text is not valid JSON, or not UTF-8, or has half a surrogate pair.</exception>
    internal static JsonDocument ParseText(ReadOnlyMemory<byte> utf8, JsonDocumentOptions options = default) => Parse(utf8, options, keysAndNumbers: false);

    private static JsonDocument Parse(ReadOnlyMemory<byte> utf8, JsonDocumentOptions options, bool keysAndNumbers)
    {
        var span = utf8.Span;
        if (!Utf8.IsValid(span) || MayHaveLoneSurrogate(span) || (keysAndNumbers && MayHaveHugeNumber(span)))
        {
            // Throws when a screen was right; returns when it flagged text that only looks like the problem.
            Check(span, options);
        }

        try
        {
            return JsonDocument.Parse(utf8, keysAndNumbers ? options with { AllowDuplicateProperties = false } : options);
        }
        catch (JsonException)
        {
            // A syntax error, which the check throws too (the same reader finds it), or a key twice, which it locates.
            Check(span, options);
            throw;
        }
    }

    /// <summary>
    /// False when an object in <paramref name="element"/> (or itself) has a key twice or a number is beyond the range of a
    /// double; <see cref="Check(ReadOnlySpan{byte}, JsonDocumentOptions)"/> says where.
    /// </summary>
    internal static bool IsStrict(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                return IsWithinDouble(JsonMarshal.GetRawUtf8Value(element));
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (!IsStrict(item))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Object:
                return ObjectIsStrict(element);
            default:
                return true;
        }
    }

    private static bool ObjectIsStrict(JsonElement element)
    {
        if (element.GetPropertyCount() > LinearKeys)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                if (!names.Add(property.Name) || !IsStrict(property.Value))
                {
                    return false;
                }
            }

            return true;
        }

        var index = 0;
        foreach (var property in element.EnumerateObject())
        {
            var name = JsonMarshal.GetRawUtf8PropertyName(property);
            var earlier = 0;
            foreach (var other in element.EnumerateObject())
            {
                if (earlier++ == index)
                {
                    break;
                }

                // Raw names differ in bytes when one is escaped ("i\u0064" is "id"): those compare as text.
                var otherName = JsonMarshal.GetRawUtf8PropertyName(other);
                if (name.SequenceEqual(otherName) || ((name.Contains((byte)'\\') || otherName.Contains((byte)'\\')) && property.NameEquals(other.Name)))
                {
                    return false;
                }
            }

            index++;
            if (!IsStrict(property.Value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Checks that <paramref name="utf8"/> is one valid JSON value that passes the strict checks.</summary>
    /// <exception cref="JsonException">The first problem, with its 0-based line and byte in line.</exception>
    public static void Check(ReadOnlySpan<byte> utf8, JsonDocumentOptions options = default) =>
        Check(utf8, new JsonReaderOptions { CommentHandling = options.CommentHandling, AllowTrailingCommas = options.AllowTrailingCommas, MaxDepth = options.MaxDepth });

    /// <summary>As <see cref="Check(ReadOnlySpan{byte}, JsonDocumentOptions)"/>, with reader options.</summary>
    /// <exception cref="JsonException">The first problem, with its 0-based line and byte in line.</exception>
    public static void Check(ReadOnlySpan<byte> utf8, JsonReaderOptions options)
    {
        // One vectorized pass clears the whole text as UTF-8; only text that fails it has its strings checked one by one.
        var valid = Utf8.IsValid(utf8);
        var keys = new KeySet();
        try
        {
            var reader = new Utf8JsonReader(utf8, options);
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        keys.Open(reader.CurrentDepth);
                        break;
                    case JsonTokenType.EndObject:
                        keys.Close(reader.CurrentDepth);
                        break;
                    case JsonTokenType.PropertyName:
                        CheckString(ref reader, valid, utf8);
                        keys.Add(ref reader, utf8);
                        break;
                    case JsonTokenType.String:
                        CheckString(ref reader, valid, utf8);
                        break;
                    case JsonTokenType.Number:
                        CheckNumber(ref reader, utf8);
                        break;
                }
            }
        }
        finally
        {
            keys.Dispose();
        }

        if (!valid)
        {
            // The bad bytes lie where the reader does not look at them: in a comment.
            var at = FirstInvalidByte(utf8);
            throw Problem(utf8, at, $"byte 0x{utf8[at]:X2} is not UTF-8; save the file as UTF-8");
        }
    }

    /// <summary><paramref name="utf8"/> without the UTF-8 byte-order mark it may start with (accepted in every file).</summary>
    public static ReadOnlySpan<byte> WithoutBom(ReadOnlySpan<byte> utf8) => utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? utf8[3..] : utf8;

    /// <summary>Checks the text of the string or key the reader is on: UTF-8, no half surrogate pair.</summary>
    /// <param name="reader">A reader on a string or property name token.</param>
    /// <param name="input">What the reader reads, for the position.</param>
    /// <exception cref="JsonException">The text cannot be read, with its position in <paramref name="input"/>.</exception>
    internal static void CheckText(ref Utf8JsonReader reader, ReadOnlySpan<byte> input) => CheckString(ref reader, false, input);

    /// <summary>True when a string token's text can be read: UTF-8, and no escape that is half a surrogate pair.</summary>
    /// <remarks>For readers that walk tokens themselves and must not call GetString on text that throws.</remarks>
    public static bool IsReadableString(ref Utf8JsonReader reader) =>
        Utf8.IsValid(reader.ValueSpan) && (!reader.ValueIsEscaped || LoneSurrogate(reader.ValueSpan) < 0);

    /// <summary>The 0-based line and byte in line of <paramref name="offset"/>, as <see cref="JsonException"/> gives them.</summary>
    private static (int Line, int Byte) Position(ReadOnlySpan<byte> utf8, int offset)
    {
        var before = utf8[..offset];
        var lastNewline = before.LastIndexOf((byte)'\n');
        return (before.Count((byte)'\n'), offset - lastNewline - 1);
    }

    /// <summary>
    /// False when no <c>\uXXXX</c> escape can be half a surrogate pair: every surrogate escape is a high one followed at
    /// once by a low one. May be true for text that only looks like an escape (after an escaped backslash).
    /// </summary>
    private static bool MayHaveLoneSurrogate(ReadOnlySpan<byte> utf8)
    {
        var i = 0;
        while (utf8[i..].IndexOf("\\u"u8) is var next and >= 0)
        {
            i += next;
            var unit = utf8.Length >= i + 6 ? Hex(utf8.Slice(i + 2, 4)) : -1;
            if (unit is >= 0xD800 and <= 0xDFFF)
            {
                if (unit >= 0xDC00 || utf8.Length < i + 12 || !utf8.Slice(i + 6).StartsWith("\\u"u8) || Hex(utf8.Slice(i + 8, 4)) is < 0xDC00 or > 0xDFFF)
                {
                    return true;
                }

                i += 6;
            }

            i += 2;
        }

        return false;
    }

    /// <summary>
    /// False when no number can be beyond the range of a double. JSON has no leading zeros, so a number overflows only
    /// with an exponent of three digits or more, or with over 200 digits before its exponent. Flags an exponent like
    /// that where a number can be (after a mantissa that follows <c>: , [</c> or a space, so not "a3ce929" in an id),
    /// and any run of 160 digits; may be true for text in a string that looks like a number.
    /// </summary>
    /// <remarks>Vectorized: it runs on every row and response, and most of their bytes are text full of e's and digits.</remarks>
    private static bool MayHaveHugeNumber(ReadOnlySpan<byte> utf8)
    {
        const int LongRun = 160;
        ref var first = ref MemoryMarshal.GetReference(utf8);
        var k = 1;
        var run = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var zero = Vector128.Create((byte)'0');
            var ten = Vector128.Create((byte)10);
            for (; k + Vector128<byte>.Count + 1 <= utf8.Length; k += Vector128<byte>.Count)
            {
                var previous = Vector128.LoadUnsafe(ref first, (nuint)(k - 1));
                var current = Vector128.LoadUnsafe(ref first, (nuint)k);
                var next = Vector128.LoadUnsafe(ref first, (nuint)(k + 1));
                var digits = Vector128.LessThan(current - zero, ten);
                var exponents = Vector128.Equals(current | Vector128.Create((byte)0x20), Vector128.Create((byte)'e'))
                    & Vector128.LessThan(previous - zero, ten)
                    & (Vector128.LessThan(next - zero, ten) | Vector128.Equals(next, Vector128.Create((byte)'+')));
                for (var bits = exponents.ExtractMostSignificantBits(); bits != 0; bits &= bits - 1)
                {
                    if (HugeExponentAt(utf8, k + BitOperations.TrailingZeroCount(bits)))
                    {
                        return true;
                    }
                }

                // Whole blocks of digits: a run of 200 holds at least ten, wherever it starts.
                run = digits == Vector128<byte>.AllBitsSet ? run + Vector128<byte>.Count : 0;
                if (run >= LongRun)
                {
                    return true;
                }
            }
        }

        for (; k < utf8.Length; k++)
        {
            var b = utf8[k];
            run = char.IsAsciiDigit((char)b) ? run + 1 : 0;
            if (run >= LongRun || ((b | 0x20) == (byte)'e' && char.IsAsciiDigit((char)utf8[k - 1]) && HugeExponentAt(utf8, k)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the <c>e</c> at <paramref name="e"/>, after a digit, starts an exponent of 3+ digits of a number outside a string (as far as bytes tell).</summary>
    private static bool HugeExponentAt(ReadOnlySpan<byte> utf8, int e)
    {
        var digits = e + 1 < utf8.Length && utf8[e + 1] == (byte)'+' ? e + 2 : e + 1;
        var count = utf8[Math.Min(digits, utf8.Length)..].IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        if ((count < 0 ? utf8.Length - digits : count) < 3)
        {
            return false;
        }

        var before = e - 1;
        while (before >= 0 && (char.IsAsciiDigit((char)utf8[before]) || utf8[before] is (byte)'.' or (byte)'-'))
        {
            before--;
        }

        return before < 0 || utf8[before] is (byte)':' or (byte)',' or (byte)'[' or (byte)'/' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
    }

    private static void CheckString(ref Utf8JsonReader reader, bool valid, ReadOnlySpan<byte> utf8)
    {
        var raw = reader.ValueSpan;
        // The token starts at its opening quote; its text one byte later.
        var start = (int)reader.TokenStartIndex + 1;
        if (!valid && !Utf8.IsValid(raw))
        {
            var at = start + FirstInvalidByte(raw);
            throw Problem(utf8, at, $"byte 0x{utf8[at]:X2} in a string is not UTF-8; save the file as UTF-8");
        }

        if (reader.ValueIsEscaped && LoneSurrogate(raw) is var lone and >= 0)
        {
            throw Problem(utf8, start + lone,
                $"\"{Encoding.ASCII.GetString(raw.Slice(lone, 6))}\" is half of a UTF-16 surrogate pair, not a character; escape both halves (\"\\ud83d\\ude00\") or write the character itself");
        }
    }

    /// <summary>True when a JSON number's text reads as a finite double.</summary>
    private static bool IsWithinDouble(ReadOnlySpan<byte> number) =>
        // Without an exponent, a number needs more than 308 digits to overflow: most numbers are cleared without parsing.
        (number.Length <= 300 && number.IndexOfAny((byte)'e', (byte)'E') < 0)
        || (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value));

    private static void CheckNumber(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8)
    {
        var raw = reader.ValueSpan;
        if (!IsWithinDouble(raw))
        {
            var shown = raw.Length <= 40 ? Encoding.ASCII.GetString(raw) : Encoding.ASCII.GetString(raw[..37]) + "...";
            throw Problem(utf8, (int)reader.TokenStartIndex, $"number {shown} is beyond the range of a double (about ±1.8e308)");
        }
    }

    /// <summary>The offset of the backslash of a <c>\uXXXX</c> escape that is half a surrogate pair, or -1.</summary>
    private static int LoneSurrogate(ReadOnlySpan<byte> raw)
    {
        // The reader has already checked the escapes' syntax: every backslash starts a whole escape.
        var i = 0;
        while (raw[i..].IndexOf((byte)'\\') is var next and >= 0)
        {
            i += next;
            if (raw[i + 1] != (byte)'u')
            {
                i += 2;
                continue;
            }

            var unit = Hex(raw.Slice(i + 2, 4));
            if (unit is >= 0xDC00 and <= 0xDFFF)
            {
                return i;
            }

            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                if (raw.Length < i + 12 || raw[i + 6] != (byte)'\\' || raw[i + 7] != (byte)'u' || Hex(raw.Slice(i + 8, 4)) is < 0xDC00 or > 0xDFFF)
                {
                    return i;
                }

                i += 12;
                continue;
            }

            i += 6;
        }

        return -1;
    }

    private static int Hex(ReadOnlySpan<byte> digits) =>
        int.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value) ? value : -1;

    private static int FirstInvalidByte(ReadOnlySpan<byte> utf8)
    {
        var i = 0;
        while (i < utf8.Length)
        {
            if (Rune.DecodeFromUtf8(utf8[i..], out _, out var consumed) != OperationStatus.Done)
            {
                return i;
            }

            i += consumed;
        }

        return 0;
    }

    private static JsonException Problem(ReadOnlySpan<byte> utf8, int offset, string message)
    {
        var (line, column) = Position(utf8, offset);
        return new JsonException(message, null, line, column);
    }

    /// <summary>The keys of the objects open around the reader, innermost last; each object's keys are checked as they come.</summary>
    /// <remarks>Rented arrays, returned on dispose: a row's check allocates nothing.</remarks>
    private struct KeySet : IDisposable
    {
        private Key[]? _keys;
        private int _count;
        private int[]? _firsts;
        private byte[]? _unescaped;
        private int _unescapedLength;
        private Dictionary<int, Dictionary<string, int>>? _large;

        public void Open(int depth)
        {
            _firsts ??= ArrayPool<int>.Shared.Rent(64);
            if (depth >= _firsts.Length / 2)
            {
                Grow(ref _firsts, depth * 4 + 2);
            }

            _firsts[depth * 2] = _count;
            _firsts[depth * 2 + 1] = _unescapedLength;
        }

        public void Close(int depth)
        {
            _count = _firsts![depth * 2];
            _unescapedLength = _firsts[depth * 2 + 1];
            _large?.Remove(depth);
        }

        public void Add(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8)
        {
            // A key's depth is its object's depth plus one.
            var depth = reader.CurrentDepth - 1;
            var offset = (int)reader.TokenStartIndex;
            var key = new Key(offset + 1, reader.ValueSpan.Length, false, offset);
            if (reader.ValueIsEscaped)
            {
                // Keys compare by their text: "i\u0064" is "id".
                _unescaped ??= ArrayPool<byte>.Shared.Rent(256);
                if (_unescaped.Length - _unescapedLength < reader.ValueSpan.Length)
                {
                    Grow(ref _unescaped, _unescapedLength + reader.ValueSpan.Length);
                }

                var written = reader.CopyString(_unescaped.AsSpan(_unescapedLength));
                key = new Key(_unescapedLength, written, true, offset);
                _unescapedLength += written;
            }

            var name = Text(key, utf8);
            var first = _firsts![depth * 2];
            int? earlier = null;
            if (_large?.GetValueOrDefault(depth) is { } large)
            {
                var text = Encoding.UTF8.GetString(name);
                earlier = large.TryAdd(text, offset) ? null : large[text];
            }
            else
            {
                for (var i = first; i < _count; i++)
                {
                    if (_keys![i].Length == name.Length && Text(_keys[i], utf8).SequenceEqual(name))
                    {
                        earlier = _keys[i].Offset;
                        break;
                    }
                }

                _keys ??= ArrayPool<Key>.Shared.Rent(64);
                if (_count == _keys.Length)
                {
                    Grow(ref _keys, _count + 1);
                }

                _keys[_count++] = key;
                if (_count - first > LinearKeys)
                {
                    _large ??= [];
                    var set = new Dictionary<string, int>(StringComparer.Ordinal);
                    for (var i = first; i < _count; i++)
                    {
                        set.TryAdd(Encoding.UTF8.GetString(Text(_keys[i], utf8)), _keys[i].Offset);
                    }

                    _large[depth] = set;
                }
            }

            if (earlier is { } at)
            {
                var shown = name.Length <= 60 ? Encoding.UTF8.GetString(name) : Encoding.UTF8.GetString(name[..57]) + "...";
                var (line, column) = Position(utf8, at);
                var (here, _) = Position(utf8, offset);
                var where = line == here ? $"column {column + 1}" : $"line {line + 1}, column {column + 1}";
                throw Problem(utf8, offset, $"key '{shown}' appears twice in one object (first at {where}); keep one");
            }
        }

        public void Dispose()
        {
            Return(_keys);
            Return(_firsts);
            Return(_unescaped);
            this = default;
        }

        private readonly ReadOnlySpan<byte> Text(Key key, ReadOnlySpan<byte> utf8) =>
            key.Unescaped ? _unescaped.AsSpan(key.Start, key.Length) : utf8.Slice(key.Start, key.Length);

        private static void Grow<T>(ref T[] array, int needed)
        {
            var bigger = ArrayPool<T>.Shared.Rent(Math.Max(needed, array.Length * 2));
            array.CopyTo(bigger, 0);
            ArrayPool<T>.Shared.Return(array);
            array = bigger;
        }

        private static void Return<T>(T[]? array)
        {
            if (array is not null)
            {
                ArrayPool<T>.Shared.Return(array);
            }
        }
    }

    /// <summary>A key: where its text is (in the input, or unescaped in the key set's buffer) and where its token starts.</summary>
    private readonly record struct Key(int Start, int Length, bool Unescaped, int Offset);
}
