using Flywheel.Evals.Gates;
using Flywheel.Evals.Runs;
using Flywheel.Evals.Suites;

namespace Flywheel.Evals.Tests.Gates;

public sealed class GateEvaluatorTests
{
    private static readonly CohortResult[] Cohorts =
    [
        Cohort("*", 100, 90),
        Cohort("intent=pay", 40, 35),
        Cohort("intent=wire", 20, 20),
        Cohort("intent=tiny", 3, 3),
    ];

    [Fact]
    public void Min_pass_rate_fails_a_cohort_below_it_and_names_rate_and_threshold()
    {
        var result = GateEvaluator.Evaluate([Gate("intent=pay", minPassRate: 0.92)], Cohorts, hasBaseline: false).Single();

        Assert.Equal(GateStatuses.Failed, result.Status);
        Assert.True(result.Blocking);
        Assert.Contains("87.5% (35/40)", result.Message, StringComparison.Ordinal);
        Assert.Contains("92.0%", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pass_rate_equal_to_the_minimum_passes()
    {
        var result = GateEvaluator.Evaluate([Gate("*", minPassRate: 0.9)], Cohorts, hasBaseline: false).Single();

        Assert.Equal(GateStatuses.Passed, result.Status);
    }

    [Fact]
    public void Wildcard_selector_yields_one_result_per_value()
    {
        var results = GateEvaluator.Evaluate([Gate("intent=*", minPassRate: 0.9)], Cohorts, hasBaseline: false);

        Assert.Equal(["intent=pay", "intent=wire", "intent=tiny"], results.Select(r => r.Cohort));
        Assert.Equal([GateStatuses.Failed, GateStatuses.Passed, GateStatuses.Passed], results.Select(r => r.Status));
    }

    [Fact]
    public void Cohort_below_min_rows_is_insufficient_and_blocks_unless_warn()
    {
        var blocking = GateEvaluator.Evaluate([Gate("intent=tiny", minPassRate: 0.5, minRows: 10)], Cohorts, false).Single();
        var warning = GateEvaluator.Evaluate([Gate("intent=tiny", minPassRate: 0.5, minRows: 10) with { WarnOnInsufficient = true }], Cohorts, false).Single();

        Assert.Equal((GateStatuses.Insufficient, true), (blocking.Status, blocking.Blocking));
        Assert.Equal((GateStatuses.Insufficient, false), (warning.Status, warning.Blocking));
        Assert.Contains("3 row(s), fewer than the 10", blocking.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Named_cohort_with_no_rows_is_insufficient_not_passed()
    {
        var result = GateEvaluator.Evaluate([Gate("intent=missing", minPassRate: 0.5)], Cohorts, false).Single();

        Assert.Equal(GateStatuses.Insufficient, result.Status);
        Assert.True(result.Blocking);
    }

    [Fact]
    public void Max_drop_without_baseline_is_skipped_and_does_not_block()
    {
        var result = GateEvaluator.Evaluate([Gate("*", maxDrop: 0.02)], Cohorts, hasBaseline: false).Single();

        Assert.Equal(GateStatuses.Skipped, result.Status);
        Assert.False(result.Blocking);
        Assert.Contains("no baseline", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Max_drop_fails_when_the_rate_falls_more_than_allowed()
    {
        var withBaseline = Cohorts.Select(c => c with { BaselinePassRate = 0.95 }).ToArray();

        var result = GateEvaluator.Evaluate([Gate("*", maxDrop: 0.02)], withBaseline, hasBaseline: true).Single();

        Assert.Equal(GateStatuses.Failed, result.Status);
        Assert.Contains("fell 5.0 points (from 95.0% to 90.0%)", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Max_drop_within_the_allowance_passes()
    {
        var withBaseline = Cohorts.Select(c => c with { BaselinePassRate = 0.91 }).ToArray();

        var result = GateEvaluator.Evaluate([Gate("*", maxDrop: 0.02)], withBaseline, hasBaseline: true).Single();

        Assert.Equal(GateStatuses.Passed, result.Status);
    }

    [Fact]
    public void Evaluator_gate_reads_that_evaluators_aggregate()
    {
        CohortResult[] cohorts = [Cohort("*", 10, 10), Cohort("*", 10, 5) with { Evaluator = "grounded" }];

        var result = GateEvaluator.Evaluate([Gate("*", minPassRate: 0.9) with { Evaluator = "grounded" }], cohorts, false).Single();

        Assert.Equal(GateStatuses.Failed, result.Status);
        Assert.Equal("grounded", result.Evaluator);
    }

    [Fact]
    public void Max_rows_removed_fails_a_cohort_that_lost_more_baseline_rows_than_allowed()
    {
        var removed = new Dictionary<string, int> { ["*"] = 3, ["intent=pay"] = 3 };
        var gates = new[] { Gate("intent=pay", minPassRate: 0.5) with { MaxRowsRemoved = 2 }, Gate("intent=wire", minPassRate: 0.5) with { MaxRowsRemoved = 0 } };

        var results = GateEvaluator.Evaluate(gates, Cohorts, hasBaseline: true, removed);

        Assert.Equal((GateStatuses.Failed, true, 3), (results[0].Status, results[0].Blocking, results[0].RowsRemoved));
        Assert.Equal("intent=pay: 3 row(s) of the baseline are gone (removed), more than the allowed 2", results[0].Message);
        Assert.Equal((GateStatuses.Passed, 0), (results[1].Status, results[1].RowsRemoved));
        Assert.Contains("0 row(s) of the baseline removed, within 0", results[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wildcard_gate_with_max_rows_removed_holds_a_cohort_whose_rows_were_all_removed()
    {
        var removed = new Dictionary<string, int> { ["*"] = 5, ["intent=gone"] = 5 };

        var limited = GateEvaluator.Evaluate([Gate("intent=*") with { MaxRowsRemoved = 1 }], Cohorts, hasBaseline: true, removed);
        var unlimited = GateEvaluator.Evaluate([Gate("intent=*", minPassRate: 0.5)], Cohorts, hasBaseline: true, removed);

        var gone = Assert.Single(limited, r => r.Cohort == "intent=gone");
        Assert.Equal((GateStatuses.Failed, true, 0), (gone.Status, gone.Blocking, gone.Rows));
        Assert.Equal(3, limited.Count(r => r.Status == GateStatuses.Passed));
        Assert.DoesNotContain(unlimited, r => r.Cohort == "intent=gone");
    }

    [Fact]
    public void Max_rows_removed_without_a_baseline_is_skipped_not_passed()
    {
        var result = GateEvaluator.Evaluate([Gate("*") with { MaxRowsRemoved = 0 }], Cohorts, hasBaseline: false).Single();

        Assert.Equal(GateStatuses.Skipped, result.Status);
        Assert.False(result.Blocking);
        Assert.Contains("max_rows_removed not checked: no baseline", result.Message, StringComparison.Ordinal);
    }

    private static CohortResult Cohort(string name, int rows, int passed) => new()
    {
        Cohort = name,
        Evaluator = "*",
        Rows = rows,
        Passed = passed,
        PassRate = (double)passed / rows,
        Ci95 = WilsonInterval.Of(passed, rows),
    };

    private static GateConfig Gate(string cohort, double? minPassRate = null, double? maxDrop = null, int minRows = 1) => new()
    {
        Cohort = cohort,
        MinPassRate = minPassRate,
        MaxDrop = maxDrop,
        MinRows = minRows,
    };
}
