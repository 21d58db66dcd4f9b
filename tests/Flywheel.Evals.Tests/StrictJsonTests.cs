using System.Text;
using System.Text.Json;

namespace Flywheel.Evals.Tests;

/// <summary>
/// Strict JSON: what System.Text.Json lets through (bytes that are not UTF-8, half a surrogate pair, a key twice, a number
/// beyond a double) is an error with its line and byte in line, from the full check and from the screened parse alike.
/// </summary>
public sealed class StrictJsonTests
{
    public static TheoryData<string, string, int, int, string> Problems => new()
    {
        // name, JSON («FF» is a raw byte that is not UTF-8), 0-based line, 0-based byte in line, words the message has
        { "invalid UTF-8 in a value", "{\"id\":\"a«FF»b\"}", 0, 8, "0xFF" },
        { "invalid UTF-8 in a key", "{\"a«FF»\":1}", 0, 3, "not UTF-8" },
        { "invalid UTF-8 on a later line", "{\n  \"id\": \"ok\",\n  \"x\": \"«C3»\"\n}", 2, 8, "0xC3" },
        { "invalid UTF-8 in a comment", "{\"id\":1} // «FF»", 0, 12, "0xFF" },
        { "a lone high surrogate", "{\"x\":\"ab\\ud800\"}", 0, 8, "\\ud800" },
        { "a lone low surrogate", "{\"x\":\"\\udc00z\"}", 0, 6, "\\udc00" },
        { "a high surrogate before a non-surrogate escape", "{\"x\":\"\\ud83d\\u0041\"}", 0, 6, "surrogate" },
        { "a lone surrogate in a key", "{\"\\uD800\":1}", 0, 2, "\\uD800" },
        { "a key twice", "{\"tags\": {\"intent\": \"a\", \"intent\": \"b\"}}", 0, 25, "'intent' appears twice" },
        { "a top-level key twice", "{\"id\":\"a\",\"x\":1,\"id\":\"b\"}", 0, 16, "first at column 2" },
        { "a key twice, one escaped", "{\"id\":\"a\",\"i\\u0064\":\"b\"}", 0, 10, "'id' appears twice" },
        { "a key twice on another line", "{\n \"a\": 1,\n \"a\": 2\n}", 2, 1, "first at line 2, column 2" },
        { "a key twice in an object in an array", "[{\"a\":1},{\"b\":1,\"b\":2}]", 0, 16, "'b'" },
        { "a key twice among many", "{" + string.Join(",", Enumerable.Range(0, 40).Select(i => $"\"k{i}\":{i}")) + ",\"k7\":0}", 0, 341, "'k7'" },
        { "a number past the double range", "{\"x\":1e400}", 0, 5, "1e400" },
        { "a negative number past the range", "[1, -9e999]", 0, 4, "-9e999" },
        { "an exponent with a plus", "[1.5E+309]", 0, 1, "1.5E+309" },
        { "a number of 400 digits", "[" + new string('9', 400) + "]", 0, 1, "beyond the range" },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public void Check_names_the_problem_at_its_line_and_byte(string name, string json, int line, int column, string words)
    {
        var ex = Assert.Throws<JsonException>(() => StrictJson.Check(Bytes(json), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }));

        Assert.True(ex.LineNumber == line && ex.BytePositionInLine == column, $"{name}: at {ex.LineNumber}:{ex.BytePositionInLine}, not {line}:{column} ({ex.Message})");
        Assert.Contains(words, ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.Path);
    }

    [Theory]
    [MemberData(nameof(Problems))]
    public void Parse_throws_what_check_throws(string name, string json, int line, int column, string words)
    {
        _ = words;
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip };
        var ex = Assert.Throws<JsonException>(() => StrictJson.Parse(Bytes(json), options).Dispose());

        Assert.True(ex.LineNumber == line && ex.BytePositionInLine == column, $"{name}: at {ex.LineNumber}:{ex.BytePositionInLine}, not {line}:{column} ({ex.Message})");
    }

    public static TheoryData<string> Valid =>
    [
        "{\"emoji\":\"\\ud83d\\ude00\",\"raw\":\"é 🙂\",\"escaped quote\":\"\\\\ud800 is text here\"}",
        "{\"a\":{\"x\":1},\"b\":{\"x\":1},\"x\":[{\"x\":1},{\"x\":2}]}",
        "[1e308, -1.7976931348623157e308, 1e-400, 0.5e2, 123456789012345678901234567890]",
        "{\"id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"text\":\"ratio 1e400 in prose\",\"k\":\"a\\\\u0064\",\"kd\":\"ad\"}",
        "{\"ab\":1,\"a\\u0062c\":2,\"abc\\\\\":3}",
    ];

    [Theory]
    [MemberData(nameof(Valid))]
    public void Valid_json_passes_both(string json)
    {
        StrictJson.Check(Bytes(json));
        using var document = StrictJson.Parse(Bytes(json));

        Assert.NotEqual(JsonValueKind.Undefined, document.RootElement.ValueKind);
    }

    [Fact]
    public void A_syntax_error_is_the_parsers_own()
    {
        var bytes = Bytes("{\"a\": [1, 2}");
        var expected = Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(bytes).Dispose());

        var fromCheck = Assert.ThrowsAny<JsonException>(() => StrictJson.Check(bytes));
        var fromParse = Assert.ThrowsAny<JsonException>(() => StrictJson.Parse(bytes).Dispose());

        Assert.Equal((expected.LineNumber, expected.BytePositionInLine, expected.Message), (fromCheck.LineNumber, fromCheck.BytePositionInLine, fromCheck.Message));
        Assert.Equal((expected.LineNumber, expected.BytePositionInLine, expected.Message), (fromParse.LineNumber, fromParse.BytePositionInLine, fromParse.Message));
    }

    [Fact]
    public void A_parsed_document_is_walked_for_keys_twice_and_huge_numbers_in_every_object()
    {
        foreach (var (json, strict) in new[]
        {
            ("{\"a\":[{\"x\":1,\"y\":{\"x\":2e5}}],\"b\":{\"a\":1}}", true),
            ("{\"a\":[{\"x\":1,\"y\":{\"z\":2,\"z\":3}}]}", false),
            ("{\"\\u0061\":1,\"a\":2}", false),
            ("{\"a\":[{\"x\":[1, 1e400]}]}", false),
            ("{" + string.Join(",", Enumerable.Range(0, 40).Select(i => $"\"k{i}\":{i}")) + ",\"k7\":0}", false),
        })
        {
            using var document = JsonDocument.Parse(json);

            Assert.True(strict == StrictJson.IsStrict(document.RootElement), json);
        }
    }

    [Fact]
    public void A_string_that_cannot_be_read_is_told_apart_before_reading_it()
    {
        foreach (var (json, readable) in new[] { ("\"ok \\u0041\"", true), ("\"\\ud800\"", false), ("\"a«FF»\"", false) })
        {
            var reader = new Utf8JsonReader(Bytes(json));
            reader.Read();

            Assert.Equal(readable, StrictJson.IsReadableString(ref reader));
        }
    }

    /// <summary>The JSON as UTF-8, where «XX» stands for the raw byte 0xXX (to write bytes that are not UTF-8).</summary>
    private static byte[] Bytes(string json)
    {
        var bytes = new List<byte>();
        var parts = json.Split('«');
        bytes.AddRange(Encoding.UTF8.GetBytes(parts[0]));
        foreach (var part in parts.Skip(1))
        {
            bytes.Add(Convert.FromHexString(part[..2])[0]);
            bytes.AddRange(Encoding.UTF8.GetBytes(part[3..]));
        }

        return [.. bytes];
    }
}
