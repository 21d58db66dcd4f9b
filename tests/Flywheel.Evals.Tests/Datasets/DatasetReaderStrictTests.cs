using System.Text;
using System.Text.Json;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Schemas;

namespace Flywheel.Evals.Tests.Datasets;

/// <summary>
/// The gate checks a row's keys and numbers as its shape check walks it, not with a second pass: it must reject what
/// <c>flywheel validate</c> (every row checked in full) rejects, with the same FW1001 at the same place.
/// </summary>
public sealed class DatasetReaderStrictTests
{
    private const string Tools = """[{"name":"f","description":"d","parameters":{"type":"object","properties":{"x":{"type":"number","maximum":10}}}}]""";

    // A valid row; each case below changes one part of it.
    private const string Valid =
        """{"id":"r1","tags":{"intent":"a"},"input":[{"role":"user","content":"hi"}],"context":[{"id":"c","text":"t"}],"expected":{"answers":["a"],"tool_calls":[{"name":"f","arguments":{"x":[1,{"k":"v"}]}}]},"tools":TOOLS,"source":{"trace_id":"t"},"review":{"status":"approved","labels":[{"reviewer":"r","label":"l"}]}}""";

    public static TheoryData<string, string, string> Cases => new()
    {
        { "the row's id twice", "\"id\":\"r1\",", "\"id\":\"r1\",\"id\":\"r2\"," },
        { "a tag twice", "{\"intent\":\"a\"}", "{\"intent\":\"a\",\"intent\":\"b\"}" },
        { "a message's content twice", "\"content\":\"hi\"", "\"content\":\"hi\",\"content\":\"ho\"" },
        { "a message's role twice and no content", "{\"role\":\"user\",\"content\":\"hi\"}", "{\"role\":\"user\",\"role\":\"user\"}" },
        { "a chunk's text twice", "\"text\":\"t\"", "\"text\":\"t\",\"text\":\"u\"" },
        { "expected answers twice", "\"answers\":[\"a\"]", "\"answers\":[\"a\"],\"answers\":[\"b\"]" },
        { "an expected call's name twice", "{\"name\":\"f\",\"arguments\"", "{\"name\":\"f\",\"name\":\"g\",\"arguments\"" },
        { "an argument twice", "{\"x\":[1,{\"k\":\"v\"}]}", "{\"x\":[1],\"x\":[2]}" },
        { "a key twice in an accepted value", "{\"k\":\"v\"}", "{\"k\":\"v\",\"k\":\"w\"}" },
        { "an accepted value past the double range", "[1,{", "[1e400,{" },
        { "a tool's name twice", "[{\"name\":\"f\",\"description\"", "[{\"name\":\"f\",\"name\":\"g\",\"description\"" },
        { "a key twice in a tool's parameters", "{\"type\":\"object\",", "{\"type\":\"object\",\"type\":\"array\"," },
        { "a number past the range in a tool's parameters", "\"maximum\":10", "\"maximum\":9e999" },
        { "a source field twice", "{\"trace_id\":\"t\"}", "{\"trace_id\":\"t\",\"trace_id\":\"u\"}" },
        { "a review status twice", "{\"status\":\"approved\",", "{\"status\":\"approved\",\"status\":\"pending\"," },
        { "a label's label twice", "\"label\":\"l\"", "\"label\":\"l\",\"label\":\"m\"" },
        { "a huge number where a string belongs", "\"id\":\"r1\"", "\"id\":1e400" },
        { "a lone surrogate in a message", "\"content\":\"hi\"", "\"content\":\"hi\\ud800\"" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_gate_rejects_a_strict_problem_where_validate_does(string name, string part, string replacement)
    {
        var schemas = await FlywheelSchemas.LoadAsync(TestContext.Current.CancellationToken);
        var valid = Valid.Replace("TOOLS", Tools, StringComparison.Ordinal);
        Assert.Contains(part, valid, StringComparison.Ordinal);
        var bad = Encoding.UTF8.GetBytes(ReplaceFirst(valid, part, replacement));
        var expected = Assert.ThrowsAny<JsonException>(() => StrictJson.Check(bad));

        var found = new List<IReadOnlyList<Diagnostic>>();
        foreach (var thorough in new[] { false, true })
        {
            // A valid row first, so the gate's reader has seen (and stopped checking) this tool list.
            var reader = new DatasetReader(schemas);
            var diagnostics = new DiagnosticBag();
            Assert.NotNull(reader.ParseRow(new JsonLine(1, Encoding.UTF8.GetBytes(valid)), "rows.jsonl", diagnostics, thorough));
            Assert.Null(reader.ParseRow(new JsonLine(2, bad), "rows.jsonl", diagnostics, thorough));
            found.Add(diagnostics.Items);
        }

        var gate = Assert.Single(found[0]);
        Assert.Equal(found[1], found[0]);
        Assert.True(gate.Code == DiagnosticCodes.InvalidJson && gate.Line == 2 && gate.Column == expected.BytePositionInLine + 1,
            $"{name}: {gate}");
    }

    private static string ReplaceFirst(string text, string part, string replacement)
    {
        var at = text.IndexOf(part, StringComparison.Ordinal);
        return text[..at] + replacement + text[(at + part.Length)..];
    }
}
