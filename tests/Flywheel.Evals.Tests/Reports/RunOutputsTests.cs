using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Reports;
using Flywheel.Evals.Runs;
using Flywheel.Evals.Tests.Support;

namespace Flywheel.Evals.Tests.Reports;

public sealed class RunOutputsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_format_with_a_file_is_written_and_run_json_last_with_nothing_else_left_behind()
    {
        using var suite = new DemoSuite();
        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root, Responses = suite.PathOf("bad.jsonl") }, Token);
        var outDir = suite.PathOf("out");

        var written = await RunOutputs.WriteAsync(result.Run, outDir, RunReports.All, Token);

        Assert.Equal(["report.md", "junit.xml", "report.html", "run.json"], written.Select(Path.GetFileName));
        Assert.Equal(written.Order(StringComparer.Ordinal), Directory.GetFiles(outDir).Order(StringComparer.Ordinal));
        var back = await RunJson.ReadFileAsync(written[^1], "run.json", Token);
        Assert.Equal(result.Run.Verdict, back.Verdict);
    }

    [Fact]
    public async Task A_report_that_cannot_be_written_stops_before_run_json_is_replaced()
    {
        using var suite = new DemoSuite();
        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root, Responses = suite.PathOf("bad.jsonl") }, Token);
        var outDir = suite.PathOf("out");
        Directory.CreateDirectory(Path.Combine(outDir, "report.md"));
        await File.WriteAllTextAsync(Path.Combine(outDir, "run.json"), "the previous run", Token);

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => RunOutputs.WriteAsync(result.Run, outDir, [new MarkdownReport()], Token));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(DiagnosticCodes.CannotWrite, diagnostic.Code);
        Assert.Equal(Path.Combine(outDir, "report.md"), diagnostic.Path);
        Assert.Equal("the previous run", await File.ReadAllTextAsync(Path.Combine(outDir, "run.json"), Token));
    }
}
