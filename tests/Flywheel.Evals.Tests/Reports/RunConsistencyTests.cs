using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Reports;
using Flywheel.Evals.Runs;
using Flywheel.Evals.Tests.Support;

namespace Flywheel.Evals.Tests.Reports;

/// <summary>A run read back from a file must agree with itself: gates with their cohorts' figures, the verdict with its gates and errors.</summary>
public sealed class RunConsistencyTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("\"verdict\": \"failed\"", "\"verdict\": \"passed\"", "its verdict is \"passed\" but its 2 blocking gate(s) of 3 make it \"failed\"")]
    [InlineData("\"verdict\": \"failed\"", "\"verdict\": \"error\"", "its verdict is \"error\" but its 2 blocking gate(s) of 3 make it \"failed\"")]
    [InlineData("\"verdict\": \"failed\"", "\"verdict\": \"fine\"", "its verdict is \"fine\" but its 2 blocking gate(s) of 3 make it \"failed\"")]
    [InlineData("\"errors\": []", "\"errors\": [\"rows.jsonl(1,1): error FW3002: no response\"]", "its verdict is \"failed\" but its 1 error(s) make it \"error\"")]
    public async Task A_verdict_its_run_does_not_give_is_refused_at_the_verdicts_line(string from, string to, string message)
    {
        using var directory = new TempDirectory();
        var path = await WriteRunAsync(Path.Combine(directory.Path, "run.json"), from, to);

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => RunJson.ReadFileAsync(path, "run.json", Token));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(DiagnosticCodes.BadBaseline, diagnostic.Code);
        Assert.Equal(3, diagnostic.Line);
        Assert.Contains($"the run contradicts itself: {message}", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gate_edited_to_pass_is_refused_even_when_the_verdict_agrees()
    {
        using var suite = new DemoSuite();
        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root, Responses = suite.PathOf("bad.jsonl") }, Token);
        var blocking = result.Run.Gates.Where(g => g.Blocking).ToList();
        var edited = result.Run with
        {
            Verdict = Verdicts.Passed,
            Gates = result.Run.Gates.Select(g => g.Blocking ? g with { Status = GateStatuses.Passed, Blocking = false } : g).ToList(),
        };
        var path = suite.PathOf("out/run.json");
        await RunJson.WriteFileAsync(edited, path, Token);

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => RunJson.ReadFileAsync(path, "run.json", Token));

        Assert.Equal(blocking.Select(ReportText.Label), error.Diagnostics.Select(d => d.Message.Split(" on ")[1].Split(' ')[0]));
        Assert.All(error.Diagnostics, d => Assert.Contains("is passed, but its cohort's figures make it failed (blocking)", d.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unedited_run_of_every_verdict_reads_back()
    {
        using var suite = new DemoSuite();
        foreach (var responses in new[] { "good.jsonl", "bad.jsonl" })
        {
            await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root, Responses = suite.PathOf(responses) }, Token);
            var path = suite.PathOf($"out/{responses}.run.json");
            await RunJson.WriteFileAsync(result.Run, path, Token);

            var back = await RunJson.ReadFileAsync(path, "run.json", Token);

            Assert.Equal(result.Run.Verdict, back.Verdict);
        }
    }

    /// <summary>Writes the demo suite's failing run to <paramref name="path"/> with <paramref name="from"/> edited to <paramref name="to"/>.</summary>
    private static async Task<string> WriteRunAsync(string path, string from, string to)
    {
        using var suite = new DemoSuite();
        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root, Responses = suite.PathOf("bad.jsonl") }, Token);
        Assert.Equal(Verdicts.Failed, result.Run.Verdict);
        await RunJson.WriteFileAsync(result.Run, path, Token);
        var text = await File.ReadAllTextAsync(path, Token);
        Assert.Contains(from, text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, text.Replace(from, to, StringComparison.Ordinal), Token);
        return path;
    }
}
