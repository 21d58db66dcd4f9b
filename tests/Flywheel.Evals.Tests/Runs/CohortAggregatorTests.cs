using Flywheel.Evals.Evaluators;
using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Tests.Runs;

public sealed class CohortAggregatorTests
{
    [Fact]
    public void Counts_rows_per_cohort_and_evaluator()
    {
        var aggregator = new CohortAggregator(["intent"], ["answer", "tools"]);
        aggregator.Add(Row("r1", "pay", Pass("answer"), Pass("tools")));
        aggregator.Add(Row("r2", "pay", Pass("answer"), Fail("tools")));
        aggregator.Add(Row("r3", "wire", Fail("answer")));

        var results = aggregator.Results();

        var all = results.Single(c => c.Cohort == "*" && c.Evaluator == "*");
        Assert.Equal((3, 1), (all.Rows, all.Passed));
        var payTools = results.Single(c => c.Cohort == "intent=pay" && c.Evaluator == "tools");
        Assert.Equal((2, 1, 0.5), (payTools.Rows, payTools.Passed, payTools.PassRate!.Value));
        var wireTools = results.SingleOrDefault(c => c.Cohort == "intent=wire" && c.Evaluator == "tools");
        Assert.Null(wireTools); // tools did not apply to r3, so the cohort has no tools rows
    }

    [Fact]
    public void Pending_rows_do_not_count()
    {
        var aggregator = new CohortAggregator(["intent"], ["answer"]);
        aggregator.Add(Row("r1", "pay", Pass("answer")));
        aggregator.Add(Row("r2", "pay", Fail("answer")) with { Review = "pending" });

        var all = aggregator.Results().Single(c => c.Cohort == "*" && c.Evaluator == "*");

        Assert.Equal((1, 1), (all.Rows, all.Passed));
    }

    [Fact]
    public void Undecided_rows_count_as_not_passed_and_as_errors()
    {
        var aggregator = new CohortAggregator([], ["answer"]);
        aggregator.Add(Row("r1", "pay", Score.Failed("answer", "judge down")) with { Passed = null });
        aggregator.Add(Row("r2", "pay", Pass("answer")));

        var all = aggregator.Results().Single(c => c.Cohort == "*" && c.Evaluator == "*");

        Assert.Equal((2, 1, 1), (all.Rows, all.Passed, all.Errors));
    }

    [Fact]
    public void Results_are_ordered_all_first_then_by_cohort_key_order()
    {
        var aggregator = new CohortAggregator(["locale", "intent"], ["answer"]);
        aggregator.Add(Row("r1", "pay", Pass("answer")) with { Tags = new Dictionary<string, string> { ["intent"] = "pay", ["locale"] = "en-US" } });

        var cohorts = aggregator.Results().Where(c => c.Evaluator == "*").Select(c => c.Cohort).ToList();

        Assert.Equal(["*", "locale=en-US", "intent=pay"], cohorts);
    }

    internal static RunRow Row(string id, string intent, params Score[] scores) => new()
    {
        Dataset = "ds",
        Id = id,
        Tags = new Dictionary<string, string> { ["intent"] = intent },
        Scores = scores,
        Passed = scores.Any(s => s.Passed == false) ? false : scores.All(s => s.Passed == true) ? true : null,
    };

    internal static Score Pass(string evaluator) => Score.Decided(evaluator, 1, true, "ok");

    internal static Score Fail(string evaluator) => Score.Decided(evaluator, 0, false, "wrong");
}
