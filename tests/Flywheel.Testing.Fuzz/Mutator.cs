using System.Globalization;
using System.Text;
using Flywheel.Bench.Generate;

namespace Flywheel.Testing.Fuzz;

/// <summary>Turns a valid sample file into one hostile variant: one mutation, chosen and placed by the generator alone.</summary>
/// <remarks>
/// Most mutations aim at the JSON structure (a string, a number, a member), so they get past the first syntax check
/// and reach the readers, evaluators and reports behind it; a few work on raw bytes and lines.
/// </remarks>
internal static class Mutator
{
    private static readonly (string Kind, int Weight)[] Kinds =
    [
        ("bit-flip", 6),
        ("truncate", 5),
        ("file-shape", 3),
        ("control-byte", 6),
        ("control-escape", 8),
        ("invalid-utf8", 8),
        ("lone-surrogate", 6),
        ("duplicate-key", 8),
        ("huge-number", 8),
        ("deep-nesting", 5),
        ("swap-lines", 5),
        ("duplicate-line", 3),
        ("delete-line", 3),
        ("type-confusion", 10),
        ("delete-member", 6),
        ("hostile-string", 10),
    ];

    private static readonly int TotalWeight = Kinds.Sum(k => k.Weight);

    private static readonly string[] ControlBytes = ["00", "01", "07", "08", "0B", "0C", "1B", "1F", "7F", "0D", "0A"];

    private static readonly string[] ControlEscapes = [@"\u0000", @"\u0001", @"\u0007", @"\u000B", @"\u000b", @"\u000C", @"\u001B", @"\u001F", @"\u007F", @"\u0085", @"\u2028", @"\uFEFF", @"\uFFFE", @"\uFFFF", @"\r", @"\n\n", @"\t"];

    private static readonly string[] InvalidUtf8 = ["FF", "FE", "80", "BF", "C0 AF", "C1 BF", "C3", "C3 28", "E2 82", "E2 28 A1", "ED A0 80", "ED BF BF", "F0 9F 98", "F4 90 80 80", "F8 88 80 80 80", "EF BF"];

    private static readonly string[] Surrogates = [@"\uD800", @"\udfff", @"\uDC00\uD800", @"\ud83d", @"\ud83dA", @"\uDE00x"];

    private static readonly string[] HugeNumbers =
    [
        "1e400", "-1e400", "9e999", "1e-400", "-0", "0", "-1", "2147483648", "-2147483649", "9223372036854775808",
        "18446744073709551616", "1.7976931348623157e308", "4.9e-324", "123456789012345678901234567890.5", "1E+2",
        "0.0000001", "1e18", "0.1e-1000000", "-9e999",
    ];

    private static readonly string[] OtherTypes = ["null", "true", "false", "0", "-1", "0.5", "\"\"", "\"x\"", "[]", "{}", "[null]", "[[]]", "{\"\":null}", "\"1.0.0\"", "[\"\"]", "[{}]"];

    private static readonly string[] HostileStrings =
    [
        "</details><script>alert(1)</script>", "```", "`code` ``", "a|b\\nc", "@octocat please look", "]]><x/>", "&lt;&amp;",
        "\\u202Eevil", "\\ud83d\\ude00", "../../../../etc/passwd", "/etc/hostname", "intent=*", "*", "", "   ", "{0} %s %n",
        "::error::injected", "%0A::warning::x", "\\\"quoted\\\"", "\\\\", "null", "NaN", "-0", "<!-- -->", "# heading\\n- item",
        "x\\r\\ny", "C:\\\\Windows", "a=b=c", "=", "intent=", "=x",
    ];

    private static readonly UTF8Encoding Utf8 = new(false);

    /// <summary>One mutation of <paramref name="original"/>, fixed by the state of <paramref name="rng"/>.</summary>
    public static Mutation Mutate(byte[] original, Rng rng)
    {
        var spans = JsonSpans.Scan(original);
        for (var attempt = 1; ; attempt++)
        {
            // A mutation that changes nothing ('0' replaced by '0') is drawn again, from the same stream.
            var mutation = MutateOnce(original, spans, rng);
            if (attempt == 10 || !mutation.Bytes.AsSpan().SequenceEqual(original))
            {
                return mutation;
            }
        }
    }

    private static Mutation MutateOnce(byte[] original, JsonSpans spans, Rng rng)
    {
        var pick = rng.Next(TotalWeight);
        var kind = Kinds[^1].Kind;
        foreach (var (name, weight) in Kinds)
        {
            if (pick < weight)
            {
                kind = name;
                break;
            }

            pick -= weight;
        }

        return kind switch
        {
            "bit-flip" => BitFlip(original, rng),
            "truncate" => Truncate(original, rng),
            "file-shape" => FileShape(original, rng),
            "control-byte" => IntoString(kind, original, spans, rng, Hex(rng.Pick(ControlBytes))),
            "control-escape" => IntoString(kind, original, spans, rng, Utf8.GetBytes(rng.Pick(ControlEscapes))),
            "invalid-utf8" => IntoString(kind, original, spans, rng, Hex(rng.Pick(InvalidUtf8))),
            "lone-surrogate" => IntoString(kind, original, spans, rng, Utf8.GetBytes(rng.Pick(Surrogates))),
            "duplicate-key" => DuplicateKey(original, spans, rng),
            "huge-number" => ReplaceValue(kind, original, spans.Numbers.Count > 0 && rng.Chance(0.8) ? spans.Numbers : spans.Values, rng, rng.Pick(HugeNumbers)),
            "deep-nesting" => ReplaceValue(kind, original, spans.Values, rng, Nesting(rng)),
            "swap-lines" => Lines(kind, original, rng),
            "duplicate-line" => Lines(kind, original, rng),
            "delete-line" => Lines(kind, original, rng),
            "type-confusion" => ReplaceValue(kind, original, spans.Values, rng, rng.Pick(OtherTypes)),
            "delete-member" => DeleteMember(original, spans, rng),
            _ => ReplaceValue(kind, original, spans.Strings, rng, HostileString(rng)),
        };
    }

    private static Mutation BitFlip(byte[] original, Rng rng)
    {
        if (original.Length == 0)
        {
            return new Mutation("bit-flip", "empty file kept empty", original);
        }

        var bytes = (byte[])original.Clone();
        var flips = new List<string>();
        for (var i = rng.Next(1, 4); i > 0; i--)
        {
            var at = rng.Next(bytes.Length);
            var bit = rng.Next(8);
            bytes[at] ^= (byte)(1 << bit);
            flips.Add($"bit {bit} at {Where(original, at)}");
        }

        return new Mutation("bit-flip", "flipped " + string.Join(", ", flips), bytes);
    }

    private static Mutation Truncate(byte[] original, Rng rng)
    {
        // Now and then at the end of a line, where a cut file still looks plausible line by line.
        var lineEnds = LineStarts(original).Skip(1).Select(s => s - 1).ToList();
        var at = lineEnds.Count > 0 && rng.Chance(0.3) ? rng.Pick(lineEnds) : rng.Next(original.Length + 1);
        return new Mutation("truncate", $"cut after {at} of {original.Length} bytes ({Where(original, at)})", original[..at]);
    }

    private static Mutation FileShape(byte[] original, Rng rng)
    {
        switch (rng.Next(8))
        {
            case 0:
                return new Mutation("file-shape", "emptied the file", []);
            case 1:
                return new Mutation("file-shape", "replaced the file with a newline and spaces", Utf8.GetBytes("\n  \n"));
            case 2:
                return new Mutation("file-shape", "prefixed a UTF-8 byte order mark", [0xEF, 0xBB, 0xBF, .. original]);
            case 3:
                var other = rng.Pick(OtherTypes);
                return new Mutation("file-shape", $"replaced the file with {other}", Utf8.GetBytes(other + "\n"));
            case 4:
                return new Mutation("file-shape", "turned every LF into CRLF", Replace(original, "\n"u8, "\r\n"u8));
            case 5:
                return new Mutation("file-shape", "turned every LF into CR", Replace(original, "\n"u8, "\r"u8));
            case 6:
                return new Mutation("file-shape", "removed the final newline and appended garbage", [.. original.AsSpan().TrimEnd((byte)'\n'), .. "\n}\u0000"u8]);
            default:
                return new Mutation("file-shape", "appended the file to itself", [.. original, .. original]);
        }
    }

    private static Mutation IntoString(string kind, byte[] original, JsonSpans spans, Rng rng, byte[] insert)
    {
        if (spans.Strings.Count == 0)
        {
            return Insert(kind, original, rng.Next(original.Length + 1), insert);
        }

        var target = rng.Pick(spans.Strings);
        // Inside the quotes, never splitting an escape: the start, the end or a point before a plain byte.
        var candidates = new List<int> { target.Start + 1, target.End - 1 };
        for (var i = target.Start + 1; i < target.End - 1 && candidates.Count < 64; i++)
        {
            if (original[i] is not (byte)'\\' && original[i - 1] is not (byte)'\\' && (original[i] & 0xC0) != 0x80)
            {
                candidates.Add(i);
            }
        }

        return Insert(kind, original, rng.Pick(candidates), insert);
    }

    private static Mutation Insert(string kind, byte[] original, int at, byte[] insert) =>
        new(kind, $"inserted {Show(insert)} at {Where(original, at)}", [.. original.AsSpan(0, at), .. insert, .. original.AsSpan(at)]);

    private static Mutation DuplicateKey(byte[] original, JsonSpans spans, Rng rng)
    {
        if (spans.Members.Count == 0)
        {
            return BitFlip(original, rng);
        }

        var member = rng.Pick(spans.Members);
        var key = original.AsSpan(member.KeyStart, member.KeyEnd - member.KeyStart).ToArray();
        var valueStart = ValueStart(original, member);
        var value = rng.Chance(0.3)
            ? original.AsSpan(valueStart, member.ValueEnd - valueStart).ToArray()
            : Utf8.GetBytes(rng.Pick(OtherTypes));
        // Before or after the original member: "last one wins" and "first one wins" must both be refused.
        byte[] insert = [.. ","u8, .. key, .. ":"u8, .. value];
        if (rng.Chance(0.5))
        {
            return new Mutation("duplicate-key", $"repeated key {Show(key)} with value {Show(value)} after the member at {Where(original, member.KeyStart)}", [.. original.AsSpan(0, member.ValueEnd), .. insert, .. original.AsSpan(member.ValueEnd)]);
        }

        byte[] before = [.. key, .. ":"u8, .. value, .. ","u8];
        return new Mutation("duplicate-key", $"repeated key {Show(key)} with value {Show(value)} before the member at {Where(original, member.KeyStart)}", [.. original.AsSpan(0, member.KeyStart), .. before, .. original.AsSpan(member.KeyStart)]);
    }

    private static Mutation DeleteMember(byte[] original, JsonSpans spans, Rng rng)
    {
        if (spans.Members.Count == 0)
        {
            return BitFlip(original, rng);
        }

        var member = rng.Pick(spans.Members);
        var start = member.KeyStart;
        var end = member.ValueEnd;
        // Take the comma after the member, else the one before it, so the object stays valid JSON.
        var after = SkipSpaces(original, end);
        if (after < original.Length && original[after] == ',')
        {
            end = after + 1;
        }
        else
        {
            var before = start - 1;
            while (before >= 0 && original[before] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                before--;
            }

            if (before >= 0 && original[before] == ',')
            {
                start = before;
            }
        }

        var key = original.AsSpan(member.KeyStart, member.KeyEnd - member.KeyStart).ToArray();
        return new Mutation("delete-member", $"deleted member {Show(key)} at {Where(original, member.KeyStart)}", [.. original.AsSpan(0, start), .. original.AsSpan(end)]);
    }

    private static Mutation ReplaceValue(string kind, byte[] original, List<JsonSpan> targets, Rng rng, string replacement)
    {
        if (targets.Count == 0)
        {
            return BitFlip(original, rng);
        }

        var target = rng.Pick(targets);
        var old = original.AsSpan(target.Start, target.Length).ToArray();
        var text = kind == "hostile-string" ? "\"" + replacement + "\"" : replacement;
        var bytes = Utf8.GetBytes(text);
        return new Mutation(kind, $"replaced {Show(old)} at {Where(original, target.Start)} with {Show(bytes)}", [.. original.AsSpan(0, target.Start), .. bytes, .. original.AsSpan(target.End)]);
    }

    private static Mutation Lines(string kind, byte[] original, Rng rng)
    {
        var starts = LineStarts(original);
        var lines = starts.Select((s, i) => original[s..(i + 1 < starts.Count ? starts[i + 1] : original.Length)]).ToList();
        if (lines.Count < 2)
        {
            return Truncate(original, rng);
        }

        var i = rng.Next(lines.Count);
        var j = rng.Next(lines.Count - 1);
        if (j >= i)
        {
            j++;
        }

        string description;
        switch (kind)
        {
            case "swap-lines":
                (lines[i], lines[j]) = (lines[j], lines[i]);
                description = $"swapped lines {i + 1} and {j + 1}";
                break;
            case "duplicate-line":
                lines.Insert(j, lines[i]);
                description = $"copied line {i + 1} before line {j + 1}";
                break;
            default:
                lines.RemoveAt(i);
                description = $"deleted line {i + 1}";
                break;
        }

        // A line that lacked its newline (the last one) gets one when it moves, so lines never merge.
        var bytes = new List<byte>(original.Length + 64);
        foreach (var line in lines)
        {
            if (bytes.Count > 0 && bytes[^1] != '\n')
            {
                bytes.Add((byte)'\n');
            }

            bytes.AddRange(line);
        }

        return new Mutation(kind, description, [.. bytes]);
    }

    private static string Nesting(Rng rng)
    {
        var depth = rng.Pick([16, 63, 64, 65, 66, 200, 5000, 100_000]);
        return rng.Chance(0.5)
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
    }

    private static string HostileString(Rng rng) => rng.Next(10) switch
    {
        0 => new string('a', rng.Pick([1_000, 100_000, 1_000_000])),
        1 => string.Concat(Enumerable.Repeat("| `x` </details> @y\\n", rng.Pick([10, 5_000]))),
        _ => rng.Pick(HostileStrings),
    };

    private static int ValueStart(byte[] text, JsonMember member)
    {
        var at = SkipSpaces(text, member.KeyEnd);
        return SkipSpaces(text, at + 1); // past the colon
    }

    private static int SkipSpaces(byte[] text, int at)
    {
        while (at < text.Length && text[at] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            at++;
        }

        return at;
    }

    private static List<int> LineStarts(byte[] text)
    {
        var starts = new List<int>();
        if (text.Length == 0)
        {
            return starts;
        }

        starts.Add(0);
        for (var i = 0; i < text.Length - 1; i++)
        {
            if (text[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    private static byte[] Replace(byte[] text, ReadOnlySpan<byte> from, ReadOnlySpan<byte> to)
    {
        var result = new List<byte>(text.Length + (text.Length / 8));
        var rest = text.AsSpan();
        while (rest.IndexOf(from) is var at and >= 0)
        {
            result.AddRange(rest[..at]);
            result.AddRange(to);
            rest = rest[(at + from.Length)..];
        }

        result.AddRange(rest);
        return [.. result];
    }

    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    /// <summary>Line, column and byte offset of <paramref name="at"/> in the original file (1-based line and column).</summary>
    private static string Where(byte[] text, int at)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < at && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return $"line {line}, col {at - lineStart + 1} (byte {at})";
    }

    /// <summary>Bytes as printable text for a one-line reproduction: short ones whole, long ones by their start and length; bytes that are not printable ASCII in hex.</summary>
    private static string Show(byte[] bytes)
    {
        const int limit = 40;
        var text = new StringBuilder();
        foreach (var b in bytes.AsSpan(0, Math.Min(bytes.Length, limit)))
        {
            text.Append(b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"<{b:X2}>");
        }

        return bytes.Length > limit
            ? $"'{text}…' ({bytes.Length.ToString(CultureInfo.InvariantCulture)} bytes)"
            : $"'{text}'";
    }
}
