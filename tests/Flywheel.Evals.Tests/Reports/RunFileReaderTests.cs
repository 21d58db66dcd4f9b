using System.Text;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Evaluators;
using Flywheel.Evals.Reports;
using Flywheel.Evals.Runs;
using Flywheel.Evals.Tests.Support;

namespace Flywheel.Evals.Tests.Reports;

public sealed class RunFileReaderTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Read_back_run_keeps_failing_rows_in_memory_and_streams_every_row_from_the_file()
    {
        using var suite = new DemoSuite();
        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root, Responses = suite.PathOf("bad.jsonl") }, Token);
        var path = suite.PathOf("out/run.json");
        await RunJson.WriteFileAsync(result.Run, path, Token);

        var back = await RunJson.ReadFileAsync(path, "run.json", Token);

        Assert.Equal(4, back.Rows.Count);
        Assert.Equal(["pay-0001", "pay-0003", "wire-0001"], back.Rows.NotPassing.Select(r => r.Id));
        Assert.Equal(result.Run.Rows.Select(r => (r.Id, r.Passed, r.Scores.Count)), back.Rows.Select(r => (r.Id, r.Passed, r.Scores.Count)));
        Assert.Equal(Figures(result.Run), Figures(back));
        Assert.Equal(result.Run.Datasets, back.Datasets);
        Assert.Equal("Payoff for L-1?", back.Rows.NotPassing[0].Input![0].Content);
    }

    [Fact]
    public async Task Writing_a_run_read_back_gives_the_same_bytes()
    {
        using var suite = new DemoSuite();
        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root, Responses = suite.PathOf("bad.jsonl") }, Token);
        var path = suite.PathOf("out/run.json");
        await RunJson.WriteFileAsync(result.Run, path, Token);

        var back = await RunJson.ReadFileAsync(path, "run.json", Token);
        var again = suite.PathOf("out/again.json");
        await RunJson.WriteFileAsync(back, again, Token);

        Assert.Equal(await File.ReadAllBytesAsync(path, Token), await File.ReadAllBytesAsync(again, Token));
    }

    [Fact]
    public async Task Rows_larger_than_the_read_buffer_and_runs_of_many_chunks_read_back_whole()
    {
        using var directory = new TempDirectory();
        var huge = new string('é', 1_500_000); // 3 MB of UTF-8 in one row, larger than the scanner's first buffer
        var rows = Enumerable.Range(0, 8_000).Select(i => new RunRow
        {
            Dataset = "d",
            Id = $"row-{i:00000}",
            Tags = new Dictionary<string, string> { ["intent"] = i % 2 == 0 ? "even" : "odd" },
            Passed = i % 1000 != 7,
            Scores = [Score.Decided("answer", i % 1000 == 7 ? 0 : 1, i % 1000 != 7, i == 7 ? huge : "ok")],
        }).ToList();
        var run = new Run
        {
            Verdict = Verdicts.Passed,
            StartedAt = "2026-11-01T00:00:00Z",
            Datasets = [new RunDataset { Name = "d", Version = "1.0.0", Rows = rows.Count }],
            Rows = RunRows.FromList(rows),
            Cohorts = [],
            Gates = [],
            Regressions = [],
        };
        var path = Path.Combine(directory.Path, "run.json");
        await RunJson.WriteFileAsync(run, path, Token);

        var back = await RunJson.ReadFileAsync(path, "run.json", Token);

        Assert.Equal(8_000, back.Rows.Count);
        Assert.Equal(Enumerable.Range(0, 8).Select(k => $"row-{(k * 1000) + 7:00000}"), back.Rows.NotPassing.Select(r => r.Id));
        Assert.Equal(huge, back.Rows.NotPassing[0].Scores[0].Reason);
        Assert.Equal(rows.Select(r => r.Id), back.Rows.Select(r => r.Id));
    }

    [Fact]
    public async Task A_run_file_rewritten_after_it_was_read_is_not_silently_enumerated_as_the_old_run()
    {
        using var suite = new DemoSuite();
        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root, Responses = suite.PathOf("bad.jsonl") }, Token);
        var path = suite.PathOf("out/run.json");
        await RunJson.WriteFileAsync(result.Run, path, Token);
        var back = await RunJson.ReadFileAsync(path, "out/run.json", Token);

        await File.AppendAllTextAsync(path, "\n", Token);

        var error = Assert.Throws<InvalidOperationException>(() => back.Rows.ToList());
        Assert.Contains("out/run.json changed or disappeared after it was read", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, back.Rows.NotPassing.Count); // what was read stays usable
    }

    [Fact]
    public async Task Malformed_json_is_reported_at_its_line()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("run.json", "{\n  \"schema\": \"flywheel.run/v1\",\n  \"verdict\": \"passed\",\n  \"rows\": [\n    {\"dataset\": \"d\", \"id\": \"x\" \"tags\": {}}\n  ]\n}\n");

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => RunJson.ReadFileAsync(path, "run.json", Token));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(("run.json", 5, DiagnosticCodes.BadBaseline), (diagnostic.Path, diagnostic.Line, diagnostic.Code));
        Assert.Contains("not a readable run", diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"verdict\": \"passed\", \"rows\": []}", "not a Flywheel run")]
    [InlineData("{\"schema\": \"flywheel.run/v2\", \"rows\": []}", "not a Flywheel run")]
    [InlineData("{\"schema\": \"flywheel.run/v1\", \"verdict\": \"passed\"}", "no \"rows\" array")]
    [InlineData("[1, 2]", "a run is a JSON object")]
    [InlineData("", "the file is empty")]
    [InlineData("{\"schema\": \"flywheel.run/v1\", \"rows\": [1]}", "a row is not a JSON object")]
    public async Task A_file_that_is_not_a_run_is_refused(string text, string problem)
    {
        using var directory = new TempDirectory();
        var path = directory.Write("run.json", text);

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => RunJson.ReadFileAsync(path, "run.json", Token));

        Assert.Contains(problem, Assert.Single(error.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_byte_order_mark_is_accepted()
    {
        using var suite = new DemoSuite();
        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root }, Token);
        var path = suite.PathOf("out/run.json");
        await RunJson.WriteFileAsync(result.Run, path, Token);
        await File.WriteAllBytesAsync(path, [0xEF, 0xBB, 0xBF, .. await File.ReadAllBytesAsync(path, Token)], Token);

        var back = await RunJson.ReadFileAsync(path, "run.json", Token);

        Assert.Equal(Verdicts.Passed, back.Verdict);
        Assert.Equal(4, back.Rows.Count);
    }

    [Fact]
    public async Task History_runs_are_ordered_by_when_they_started_not_by_file_name()
    {
        using var suite = new DemoSuite();
        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root }, Token);
        foreach (var (name, at) in new[] { ("a-latest", "2026-11-01T00:00:00Z"), ("b-oldest", "2026-01-01T00:00:00Z"), ("c-middle", "2026-06-01T00:00:00+02:00") })
        {
            await RunJson.WriteFileAsync(result.Run with { StartedAt = at }, suite.PathOf($"history/{name}.json"), Token);
        }

        await File.WriteAllTextAsync(suite.PathOf("history/README.md"), "not a run, not read", Token);

        var history = await RunHistory.LoadAsync(suite.PathOf("history"), "history", Token);

        Assert.Equal(["b-oldest", "c-middle", "a-latest"], history.Runs.Select(r => r.Label));
        Assert.All(history.Runs, r => Assert.Equal(4, r.RowCount));
        Assert.All(history.Runs, r => Assert.Equal(Figures(result.Run), Figures(r.Run)));
        Assert.Equal(Path.Combine("history", "b-oldest.json"), history.Runs[0].Path);
    }

    [Fact]
    public async Task A_history_folder_that_is_missing_empty_or_holds_a_bad_run_is_an_error_naming_each_file()
    {
        using var directory = new TempDirectory();
        directory.Write("empty/notes.txt", "no runs here");
        directory.Write("bad/one.json", "{\"schema\": \"flywheel.run/v1\",\n \"rows\": [\n oops]}");
        directory.Write("bad/two.json", "{\"schema\": \"something else\", \"rows\": []}");

        var missing = await Assert.ThrowsAsync<FlywheelInputException>(() => RunHistory.LoadAsync(Path.Combine(directory.Path, "nope"), "nope", Token));
        var empty = await Assert.ThrowsAsync<FlywheelInputException>(() => RunHistory.LoadAsync(Path.Combine(directory.Path, "empty"), "empty", Token));
        var bad = await Assert.ThrowsAsync<FlywheelInputException>(() => RunHistory.LoadAsync(Path.Combine(directory.Path, "bad"), "bad", Token));

        Assert.Equal("nope: error FW4004: history folder does not exist", Assert.Single(missing.Diagnostics).ToString());
        Assert.Equal("empty: error FW4004: history folder holds no run (*.json) file", Assert.Single(empty.Diagnostics).ToString());
        Assert.Collection(
            bad.Diagnostics,
            d => Assert.Equal((Path.Combine("bad", "one.json"), 3, DiagnosticCodes.BadHistory), (d.Path, d.Line, d.Code)),
            d => Assert.Equal((Path.Combine("bad", "two.json"), DiagnosticCodes.BadHistory, "history run: not a Flywheel run (expected \"schema\": \"flywheel.run/v1\")"), (d.Path, d.Code, d.Message)));
    }

    private static List<(string, string, int, int, double?, double, double)> Figures(Run run) =>
        run.Cohorts.Select(c => (c.Cohort, c.Evaluator, c.Rows, c.Passed, c.PassRate, c.Ci95![0], c.Ci95[1])).ToList();
}
