using System.Text;
using System.Text.Json;
using Flywheel.Action.Tests.Support;

namespace Flywheel.Action.Tests.EndToEnd;

/// <summary>Bad input gives exit 2 with file(line,col): error FWnnnn, and nothing is reported as passed.</summary>
public sealed class MalformedInputTests
{
    [Fact]
    public async Task Valid_suite_passes_as_a_baseline_for_the_other_cases()
    {
        using var suite = new TempSuite();
        var result = await suite.RunAsync("gate");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("passed", Verdict(suite));
    }

    [Fact]
    public async Task Broken_json_line_names_the_file_line_and_column()
    {
        using var suite = new TempSuite();
        var lines = TempSuite.ValidRows.Split('\n');
        lines[1] = """{"id":"balance-0002","tags":{"intent":"balance"},"input":[{"role":"user","content":"x"}""";
        suite.Write("datasets/demo/rows.jsonl", string.Join('\n', lines) + "\n");

        var result = await suite.RunAsync("gate");

        AssertInputError(result, "datasets/demo/rows.jsonl(2,", "error FW1001", "invalid JSON");
        Assert.Equal("error", Verdict(suite));
    }

    [Fact]
    public async Task Row_missing_id_is_a_schema_error_on_its_line()
    {
        using var suite = new TempSuite();
        var lines = TempSuite.ValidRows.Split('\n');
        lines[2] = lines[2].Replace("\"id\":\"policy-0001\",", string.Empty, StringComparison.Ordinal);
        suite.Write("datasets/demo/rows.jsonl", string.Join('\n', lines) + "\n");

        var result = await suite.RunAsync("validate");

        AssertInputError(result, "datasets/demo/rows.jsonl(3,", "error FW1002", "required property 'id' is missing");
    }

    [Fact]
    public async Task Duplicate_id_names_the_first_occurrence()
    {
        using var suite = new TempSuite();
        var lines = TempSuite.ValidRows.Split('\n');
        suite.Write("datasets/demo/rows.jsonl", string.Join('\n', lines[0], lines[0], lines[1], lines[2]) + "\n");

        var result = await suite.RunAsync("gate");

        AssertInputError(result, "datasets/demo/rows.jsonl(2,1): error FW1003", "duplicate id 'balance-0001' (first at line 1)");
        Assert.Equal("error", Verdict(suite));
    }

    [Fact]
    public async Task Rows_out_of_id_order_are_an_error()
    {
        using var suite = new TempSuite();
        var lines = TempSuite.ValidRows.Split('\n');
        suite.Write("datasets/demo/rows.jsonl", string.Join('\n', lines[1], lines[0], lines[2]) + "\n");

        var result = await suite.RunAsync("validate");

        AssertInputError(result, "datasets/demo/rows.jsonl(2,1): error FW1004", "out of order");
    }

    [Fact]
    public async Task Unknown_evaluator_kind_points_into_the_suite()
    {
        using var suite = new TempSuite();
        suite.Write("evaluators/flywheel.json", TempSuite.ValidSuite.Replace("\"tool-selection\"", "\"tool-choice\"", StringComparison.Ordinal));

        var result = await suite.RunAsync("gate");

        AssertInputError(result, "evaluators/flywheel.json(7,", "error FW2002", "unknown evaluator kind 'tool-choice'");
        Assert.False(File.Exists(suite.RunJson), "no run is written when the suite cannot be read");
    }

    [Fact]
    public async Task Gate_on_an_unknown_tag_is_an_error()
    {
        using var suite = new TempSuite();
        suite.Write("evaluators/flywheel.json", TempSuite.ValidSuite.Replace("\"intent=*\"", "\"channel=*\"", StringComparison.Ordinal));

        var result = await suite.RunAsync("gate");

        AssertInputError(result, "evaluators/flywheel.json(10,", "error FW2005", "names tag 'channel'");
        Assert.Equal("error", Verdict(suite));
    }

    [Fact]
    public async Task Gate_naming_an_unknown_evaluator_is_an_error()
    {
        using var suite = new TempSuite();
        suite.Write("evaluators/flywheel.json", TempSuite.ValidSuite.Replace("\"cohort\": \"intent=*\",", "\"cohort\": \"intent=*\", \"evaluator\": \"faithful\",", StringComparison.Ordinal));

        var result = await suite.RunAsync("validate");

        AssertInputError(result, "evaluators/flywheel.json(10,", "error FW2004", "evaluator 'faithful'");
    }

    [Fact]
    public async Task Missing_threshold_is_an_error()
    {
        using var suite = new TempSuite();
        suite.Write("evaluators/flywheel.json", TempSuite.ValidSuite.Replace(", \"threshold\": 0.6", string.Empty, StringComparison.Ordinal));

        var result = await suite.RunAsync("gate");

        AssertInputError(result, "evaluators/flywheel.json(5,", "error FW2008", "needs a \"threshold\"");
    }

    [Fact]
    public async Task Gate_without_any_threshold_is_an_error()
    {
        using var suite = new TempSuite();
        suite.Write("evaluators/flywheel.json", TempSuite.ValidSuite.Replace("\"min_pass_rate\": 0.9", "\"min_rows\": 2", StringComparison.Ordinal));

        var result = await suite.RunAsync("validate");

        AssertInputError(result, "evaluators/flywheel.json(10,", "error FW2007", "has no threshold");
    }

    [Fact]
    public async Task Response_file_that_misses_a_row_makes_that_row_an_error_not_a_pass()
    {
        using var suite = new TempSuite();
        var responses = TempSuite.ValidResponses.Split('\n');
        suite.Write("responses.jsonl", string.Join('\n', responses[0], responses[2]) + "\n");

        var result = await suite.RunAsync("gate");

        AssertInputError(result, "datasets/demo/rows.jsonl(2,1): error FW3002", "no response for row 'balance-0002'");
        using var run = JsonDocument.Parse(File.ReadAllText(suite.RunJson));
        Assert.Equal("error", run.RootElement.GetProperty("verdict").GetString());
        var row = run.RootElement.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "balance-0002");
        Assert.False(row.TryGetProperty("passed", out var passed) && passed.ValueKind == JsonValueKind.True);
        Assert.All(row.GetProperty("scores").EnumerateArray(), s => Assert.Equal("no response", s.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task Response_for_an_unknown_row_is_an_error()
    {
        using var suite = new TempSuite();
        suite.Write("responses.jsonl", TempSuite.ValidResponses + "\n" + """{"id":"ghost-0001","output":"boo"}""" + "\n");

        var result = await suite.RunAsync("validate");

        AssertInputError(result, "responses.jsonl(4,1): error FW3001", "unknown row 'ghost-0001'");
    }

    [Fact]
    public async Task Empty_dataset_is_an_error()
    {
        using var suite = new TempSuite();
        suite.Write("datasets/demo/rows.jsonl", string.Empty);
        suite.Write("responses.jsonl", string.Empty);

        var result = await suite.RunAsync("gate");

        AssertInputError(result, "datasets/demo/rows.jsonl(1,1): error FW1005", "has no rows");
        Assert.Equal("error", Verdict(suite));
    }

    [Fact]
    public async Task Zero_byte_suite_file_is_an_error()
    {
        using var suite = new TempSuite();
        suite.Write("evaluators/flywheel.json", string.Empty);

        var result = await suite.RunAsync("gate");

        AssertInputError(result, "evaluators/flywheel.json(1,1): error FW1001", "empty");
    }

    [Fact]
    public async Task Utf8_bom_and_crlf_line_ends_are_accepted()
    {
        using var suite = new TempSuite();
        var bom = new byte[] { 0xEF, 0xBB, 0xBF };
        suite.WriteBytes("datasets/demo/rows.jsonl", [.. bom, .. Encoding.UTF8.GetBytes(TempSuite.ValidRows.ReplaceLineEndings("\r\n") + "\r\n")]);
        suite.WriteBytes("responses.jsonl", [.. bom, .. Encoding.UTF8.GetBytes(TempSuite.ValidResponses.ReplaceLineEndings("\r\n") + "\r\n")]);
        suite.WriteBytes("evaluators/flywheel.json", [.. bom, .. Encoding.UTF8.GetBytes(TempSuite.ValidSuite.ReplaceLineEndings("\r\n"))]);

        var result = await suite.RunAsync("gate");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("passed", Verdict(suite));
    }

    [Fact]
    public async Task Unknown_command_line_option_is_refused()
    {
        using var suite = new TempSuite();

        var result = await suite.RunAsync("gate", "--baseline-reff", "main");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does not take --baseline-reff", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once()
    {
        using var suite = new TempSuite();
        var lines = TempSuite.ValidRows.Split('\n');
        suite.Write("datasets/demo/rows.jsonl", string.Join('\n', "{not json", lines[0], lines[0], lines[2]) + "\n");

        var result = await suite.RunAsync("validate");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("rows.jsonl(1,", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("rows.jsonl(3,1): error FW1003", result.Stderr, StringComparison.Ordinal);
    }

    private static void AssertInputError(ProcessResult result, params string[] fragments)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        foreach (var fragment in fragments)
        {
            Assert.True(result.Stderr.Contains(fragment, StringComparison.Ordinal), $"stderr lacks '{fragment}'\n{result}");
        }

        Assert.DoesNotContain("gate passed", result.Stdout, StringComparison.Ordinal);
    }

    private static string? Verdict(TempSuite suite)
    {
        using var run = JsonDocument.Parse(File.ReadAllText(suite.RunJson));
        return run.RootElement.GetProperty("verdict").GetString();
    }
}
