using System.Text;
using System.Text.Json;
using Flywheel.Action.Tests.Support;

namespace Flywheel.Action.Tests.EndToEnd;

/// <summary>
/// Every JSON file Flywheel reads is held to strict JSON through the real process: bytes that are not UTF-8, half a
/// surrogate pair, a key twice and a number beyond a double are FW1001 (or the file's own code) at their line and
/// column, exit 2, never a crash and never silently accepted.
/// </summary>
public sealed class StrictInputTests
{
    private static readonly string[] Rows = TempSuite.ValidRows.Split('\n');
    private static readonly string[] Responses = TempSuite.ValidResponses.Split('\n');

    [Fact]
    public async Task Bytes_that_are_not_utf8_in_rows_and_responses_are_FW1001_at_the_byte_and_other_problems_are_still_reported()
    {
        using var suite = new TempSuite();
        var row2 = Rows[1].Replace("saldo de", "saldo«FF» de", StringComparison.Ordinal);
        var row3 = Rows[2].Replace("\"role\":\"user\"", "\"role\":\"robot\"", StringComparison.Ordinal);
        var response3 = Responses[2].Replace("Card disputes", "Card«C3» disputes", StringComparison.Ordinal);
        suite.WriteBytes("datasets/demo/rows.jsonl", Lines(Rows[0], row2, row3));
        suite.WriteBytes("responses.jsonl", Lines(Responses[0], Responses[1], response3));

        foreach (var command in new[] { "gate", "validate" })
        {
            var result = await suite.RunAsync(command);

            InputErrorAssert.Reported(result,
                $"datasets/demo/rows.jsonl(2,{InputErrorAssert.Column(row2, "«FF»")}): error FW1001: invalid JSON: byte 0xFF in a string is not UTF-8",
                $"responses.jsonl(3,{InputErrorAssert.Column(response3, "«C3»")}): error FW1001: invalid JSON: byte 0xC3 in a string is not UTF-8",
                "datasets/demo/rows.jsonl(3,", "error FW1002: row 'policy-0001'");
            // The rows' responses are there: they are not "for an unknown row" because their rows are invalid.
            Assert.DoesNotContain("FW3001", result.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal("error", Verdict(suite));
    }

    [Fact]
    public async Task A_key_twice_in_a_row_or_a_response_is_FW1001_at_the_second_key()
    {
        using var suite = new TempSuite();
        var row1 = Rows[0].Replace("{\"intent\":\"balance\",", "{\"intent\":\"a\",\"intent\":\"balance\",", StringComparison.Ordinal);
        var response2 = Responses[1].Replace("{\"id\":\"balance-0002\",", "{\"id\":\"balance-0001\",\"id\":\"balance-0002\",", StringComparison.Ordinal);
        suite.WriteBytes("datasets/demo/rows.jsonl", Lines(row1, Rows[1], Rows[2]));
        suite.WriteBytes("responses.jsonl", Lines(Responses[0], response2, Responses[2]));

        var result = await suite.RunAsync("gate");

        InputErrorAssert.Reported(result,
            $"datasets/demo/rows.jsonl(1,{InputErrorAssert.Column(row1, "\"intent\":\"balance\"")}): error FW1001: invalid JSON: key 'intent' appears twice in one object (first at column {InputErrorAssert.Column(row1, "\"intent\":\"a\"")})",
            $"responses.jsonl(2,{InputErrorAssert.Column(response2, "\"id\":\"balance-0002\"")}): error FW1001: invalid JSON: key 'id' appears twice in one object");
        Assert.Equal("error", Verdict(suite));
    }

    [Fact]
    public async Task A_number_beyond_a_double_is_FW1001_at_the_number()
    {
        using var suite = new TempSuite();
        // Both read as infinity, so they would compare equal and the tool call would pass.
        var row1 = Rows[0].Replace("\"account_id\":[\"CHK-1\"]", "\"account_id\":[\"CHK-1\",1e400]", StringComparison.Ordinal);
        var response1 = Responses[0].Replace("\"account_id\":\"CHK-1\"", "\"account_id\":9e999", StringComparison.Ordinal);
        suite.WriteBytes("datasets/demo/rows.jsonl", Lines(row1, Rows[1], Rows[2]));
        suite.WriteBytes("responses.jsonl", Lines(response1, Responses[1], Responses[2]));

        var result = await suite.RunAsync("gate");

        InputErrorAssert.Reported(result,
            $"datasets/demo/rows.jsonl(1,{InputErrorAssert.Column(row1, "1e400")}): error FW1001: invalid JSON: number 1e400 is beyond the range of a double",
            $"responses.jsonl(1,{InputErrorAssert.Column(response1, "9e999")}): error FW1001: invalid JSON: number 9e999 is beyond the range of a double");
        Assert.Equal("error", Verdict(suite));
    }

    [Fact]
    public async Task Half_a_surrogate_pair_in_any_file_is_an_error_never_a_crash()
    {
        using var suite = new TempSuite();
        const string Lone = "\\ud800";
        var row2 = Rows[1].Replace("saldo de", "saldo" + Lone + " de", StringComparison.Ordinal);
        var response1 = Responses[0].Replace("checking balance", "checking\\udc00 balance", StringComparison.Ordinal);
        suite.WriteBytes("datasets/demo/rows.jsonl", Lines(Rows[0], row2, Rows[2]));
        suite.WriteBytes("responses.jsonl", Lines(response1, Responses[1], Responses[2]));

        var gate = await suite.RunAsync("gate");

        InputErrorAssert.Reported(gate,
            $"datasets/demo/rows.jsonl(2,{InputErrorAssert.Column(row2, Lone)}): error FW1001: invalid JSON: \"{Lone}\" is half of a UTF-16 surrogate pair",
            $"responses.jsonl(1,{InputErrorAssert.Column(response1, "\\udc00")}): error FW1001");
        Assert.Equal("error", Verdict(suite));

        // The run written despite them, read back by a report, and the suite and manifest themselves.
        var report = await FlywheelProcess.RunAsync(suite.Root, "report", suite.RunJson, "--format", "md", "--out", Path.Combine(suite.Root, "report.md"));
        Assert.True(report.ExitCode == 0 && File.Exists(Path.Combine(suite.Root, "report.md")) && !report.Stderr.Contains("   at ", StringComparison.Ordinal), report.ToString());

        suite.Write("evaluators/flywheel.json", TempSuite.ValidSuite.Replace("\"name\": \"answer\"", "\"name\": \"answer" + Lone + "\"", StringComparison.Ordinal));
        InputErrorAssert.Reported(await suite.RunAsync("validate"), "evaluators/flywheel.json(5,", "error FW1001", Lone);
    }

    [Fact]
    public async Task The_suite_and_dataset_manifest_are_held_to_the_same_json()
    {
        using var suite = new TempSuite();
        var suiteText = TempSuite.ValidSuite.Replace("\"threshold\": 0.6", "\"threshold\": 0.6, \"threshold\": 1e400", StringComparison.Ordinal);
        suite.Write("evaluators/flywheel.json", suiteText);

        var twice = await suite.RunAsync("validate");

        var line5 = suiteText.Split('\n')[4];
        InputErrorAssert.Reported(twice, $"evaluators/flywheel.json(5,{InputErrorAssert.Column(line5, "\"threshold\": 1e400")}): error FW1001: invalid JSON: key 'threshold' appears twice");

        suite.Write("evaluators/flywheel.json", TempSuite.ValidSuite.Replace("\"threshold\": 0.6", "\"threshold\": 9e999", StringComparison.Ordinal));
        InputErrorAssert.Reported(await suite.RunAsync("validate"), "evaluators/flywheel.json(5,", "error FW1001: invalid JSON: number 9e999");

        suite.Write("evaluators/flywheel.json", TempSuite.ValidSuite);
        var manifest = """{"name":"demo","version":"1.0.0","cohort_keys":["intent","locale«FF»"]}""";
        suite.WriteBytes("datasets/demo/dataset.json", Bytes(manifest));
        InputErrorAssert.Reported(await suite.RunAsync("validate"),
            $"datasets/demo/dataset.json(1,{InputErrorAssert.Column(manifest, "«FF»")}): error FW1001: invalid JSON: byte 0xFF in a string is not UTF-8");
    }

    [Fact]
    public async Task A_run_read_back_by_report_baseline_or_history_is_held_to_the_same_json()
    {
        using var suite = new TempSuite();
        Assert.Equal(0, (await suite.RunAsync("gate")).ExitCode);
        var run = File.ReadAllText(suite.RunJson);
        var runLines = run.Split('\n');
        var verdictLine = Array.FindIndex(runLines, l => l.Contains("\"verdict\"", StringComparison.Ordinal));

        var twice = Path.Combine(suite.Root, "twice.json");
        File.WriteAllText(twice, string.Join('\n', runLines[..(verdictLine + 1)].Append("  \"verdict\": \"failed\",").Concat(runLines[(verdictLine + 1)..])));
        InputErrorAssert.Reported(await FlywheelProcess.RunAsync(suite.Root, "report", twice, "--format", "md", "--out", Path.Combine(suite.Root, "r.md")),
            $"twice.json({verdictLine + 2},3): error FW4001: not a readable run: key 'verdict' appears twice in one object (first at line {verdictLine + 1}, column 3)");

        var notUtf8 = Path.Combine(suite.Root, "not-utf8.json");
        File.WriteAllBytes(notUtf8, Bytes(run.Replace("\"test-model\"", "\"test«FF»model\"", StringComparison.Ordinal)));
        InputErrorAssert.Reported(await suite.RunAsync("gate", "--baseline", notUtf8), "not-utf8.json(", "error FW4001", "byte 0xFF in a string is not UTF-8");

        var history = Directory.CreateDirectory(Path.Combine(suite.Root, "history")).FullName;
        File.Copy(suite.RunJson, Path.Combine(history, "a.json"));
        File.WriteAllText(Path.Combine(history, "b.json"), run.Replace("\"passed\":true", "\"passed\":9e999", StringComparison.Ordinal));
        InputErrorAssert.Reported(await FlywheelProcess.RunAsync(suite.Root, "report", suite.RunJson, "--format", "html", "--history", history, "--out", Path.Combine(suite.Root, "r.html")),
            "b.json(", "error FW4004", "number 9e999 is beyond the range of a double");
    }

    [Fact]
    public async Task A_trace_to_promote_is_held_to_the_same_json()
    {
        using var suite = new TempSuite();
        var trace = Path.Combine(suite.Root, "trace.jsonl");
        File.WriteAllText(trace, """
            {"type":"message","trace_id":"t-1","role":"user","content":"hi"}
            {"type":"message","trace_id":"t-1","role":"user","content":"hi","content":"ho"}
            """);

        var result = await suite.RunAsync("promote", "--trace", trace, "--dataset", "demo");

        InputErrorAssert.Reported(result, "trace.jsonl(2,1): error FW6001", "key 'content' appears twice");
        Assert.Equal(TempSuite.ValidRows + "\n", suite.Read("datasets/demo/rows.jsonl"));
    }

    [Fact]
    public async Task A_response_whose_row_is_invalid_is_not_reported_as_for_an_unknown_row()
    {
        using var suite = new TempSuite();
        var row2 = Rows[1][..^10];
        suite.WriteBytes("datasets/demo/rows.jsonl", Lines(Rows[0], row2, Rows[2]));

        var result = await suite.RunAsync("gate");

        InputErrorAssert.Reported(result, "datasets/demo/rows.jsonl(2,", "error FW1001: invalid JSON");
        Assert.DoesNotContain("FW3001", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown row", result.Stderr, StringComparison.Ordinal);
    }

    private static byte[] Lines(params string[] lines) => Bytes(string.Join('\n', lines) + "\n");

    /// <summary>The text as UTF-8, where «XX» stands for the raw byte 0xXX (to write bytes that are not UTF-8).</summary>
    private static byte[] Bytes(string text)
    {
        var parts = text.Split('«');
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(parts[0]));
        foreach (var part in parts.Skip(1))
        {
            bytes.Add(Convert.FromHexString(part[..2])[0]);
            bytes.AddRange(Encoding.UTF8.GetBytes(part[3..]));
        }

        return [.. bytes];
    }

    private static string? Verdict(TempSuite suite)
    {
        using var run = JsonDocument.Parse(File.ReadAllText(suite.RunJson));
        return run.RootElement.GetProperty("verdict").GetString();
    }
}
