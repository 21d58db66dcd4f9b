using System.Text;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Reports;
using Flywheel.Evals.Runs;
using static Flywheel.Evals.Tests.Runs.CohortAggregatorTests;

namespace Flywheel.Evals.Tests.Runs;

public sealed class BaselineTests
{
    private static readonly string[] Keys = ["intent"];
    private static readonly string[] Evaluators = ["answer", "tools"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_baseline_read_from_run_json_equals_the_baseline_of_the_same_run_in_memory()
    {
        var run = RunOf(
            Row("r1", "pay", Pass("answer"), Pass("tools")),
            Row("r2", "pay", Pass("answer"), Fail("tools")),
            Row("r3", "wire", Fail("answer")),
            Row("r4", "wire", Pass("answer")) with { Review = "pending" });
        using var file = new MemoryStream();
        await RunJson.WriteAsync(run, file, Token);
        file.Position = 0;

        var read = await Baseline.LoadAsync(file, "base.json", Keys, Evaluators, Token);
        var inMemory = Baseline.FromRun(run, "base.json", Keys, Evaluators);

        Assert.Equal(Flat(inMemory.Cohorts), Flat(read.Cohorts));
        Assert.Equal(4, read.RowCount);
        Assert.True(read.TryGetRow("ds", "r2", out var r2));
        Assert.False(r2.Passed);
        Assert.Equal(["answer"], r2.PassedEvaluators.Order(StringComparer.Ordinal));
        Assert.True(read.TryGetRow("ds", "r4", out var pending));
        Assert.Null(pending.Passed); // a pending row did not gate, so it cannot regress
    }

    [Fact]
    public async Task Rows_with_the_same_outcome_share_one_outcome_object()
    {
        var run = RunOf(Row("r1", "pay", Pass("answer"), Pass("tools")), Row("r2", "wire", Pass("tools"), Pass("answer")));
        using var file = new MemoryStream();
        await RunJson.WriteAsync(run, file, Token);
        file.Position = 0;

        var read = await Baseline.LoadAsync(file, "base.json", Keys, Evaluators, Token);

        read.TryGetRow("ds", "r1", out var r1);
        read.TryGetRow("ds", "r2", out var r2);
        Assert.Same(r1, r2);
    }

    [Fact]
    public async Task A_baseline_kept_for_max_rows_removed_counts_the_rows_a_run_lacks_per_baseline_cohort()
    {
        var baseRun = RunOf(Row("r1", "pay", Pass("answer")), Row("r2", "pay", Pass("answer")), Row("r3", "wire", Pass("answer")), Row("r4", "wire", Pass("answer")));
        using var file = new MemoryStream();
        await RunJson.WriteAsync(baseRun, file, Token);
        file.Position = 0;

        var read = await Baseline.LoadAsync(file, "base.json", Keys, Evaluators, keepCohorts: true, Token);
        var removed = RunComparison.RemovedPerCohort(RunOf(Row("r1", "pay", Pass("answer"))).Rows, read);

        Assert.Equal(new Dictionary<string, int> { ["*"] = 3, ["intent=pay"] = 1, ["intent=wire"] = 2 }, removed.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary());
        read.TryGetRow("ds", "r1", out var r1);
        read.TryGetRow("ds", "r2", out var r2);
        read.TryGetRow("ds", "r3", out var r3);
        Assert.Same(r1, r2);
        Assert.NotSame(r1, r3);
        Assert.Same(r1.PassedEvaluators, r3.PassedEvaluators);
        Assert.Equal(["intent=wire"], r3.Cohorts);
    }

    [Theory]
    [InlineData("{\"schema\": \"something/else\", \"rows\": []}", 1, "is not a Flywheel run")]
    [InlineData("{\"schema\": \"flywheel.run/v1\"}", 1, "is not a Flywheel run")]
    [InlineData("{\n\"schema\": \"flywheel.run/v1\",\n\"rows\": [\n{\"dataset\": \"ds\", \"id\": ", 4, "not valid JSON")]
    [InlineData("{\n\"schema\": \"flywheel.run/v1\",\n\"rows\": [\n{\"dataset\": \"ds\", \"id\": 5, \"tags\": {}, \"scores\": []}\n]}", 4, "baseline row is malformed")]
    public async Task A_file_that_is_not_a_readable_run_is_refused_with_its_line(string text, int line, string problem)
    {
        using var file = new MemoryStream(Encoding.UTF8.GetBytes(text));

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => Baseline.LoadAsync(file, "base.json", Keys, Evaluators, Token));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(("base.json", line, DiagnosticCodes.BadBaseline), (diagnostic.Path, diagnostic.Line, diagnostic.Code));
        Assert.Contains(problem, diagnostic.Message, StringComparison.Ordinal);
    }

    // CohortResult holds its interval in an array, which a record compares by reference.
    private static string[] Flat(IEnumerable<CohortResult> cohorts) =>
        [.. cohorts.Select(c => $"{c.Cohort}/{c.Evaluator}: {c.Passed}/{c.Rows} e{c.Errors} {c.PassRate} [{string.Join(',', c.Ci95 ?? [])}]")];

    private static Run RunOf(params RunRow[] rows) => new()
    {
        Verdict = Verdicts.Passed,
        StartedAt = "2026-11-23T00:00:00.000Z",
        Datasets = [],
        Rows = RunRows.FromList(rows),
        Cohorts = [],
        Gates = [],
        Regressions = [],
    };
}
