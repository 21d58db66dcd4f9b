using Flywheel.Evals.Evaluators;
using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Tests.Support;

/// <summary>Runs built in memory for report tests: any ids, cohorts and reasons, as many rows and failing gates as asked, without scoring anything.</summary>
internal static class TestRuns
{
    public const string Dataset = "demo";
    public const string Evaluator = "answer";

    /// <summary>
    /// A run over <paramref name="rows"/>: one cohort per distinct intent with a gate of minimum pass rate 100% (so
    /// every cohort with a failing row fails its gate), a baseline on which every row passed when
    /// <paramref name="baseline"/> (so every failing row is a regression).
    /// </summary>
    public static Run Build(IReadOnlyList<TestRow> rows, bool baseline = true, string dataset = Dataset, string evaluator = Evaluator)
    {
        var runRows = rows.Select((r, i) => new RunRow
        {
            Dataset = dataset,
            Id = r.Id,
            Line = i + 1,
            Tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["intent"] = r.Intent, ["locale"] = "en-US" },
            Review = r.Review,
            Passed = r.Passed,
            Error = r.Passed is null ? r.Reason : null,
            Scores = [new Score { Evaluator = evaluator, Value = r.Passed switch { true => 1, false => 0, _ => null }, Passed = r.Passed, Reason = r.Passed is null ? null : r.Reason, Error = r.Passed is null ? r.Reason : null }],
        }).ToList();

        var cohorts = new List<CohortResult>();
        var gates = new List<GateResult>();
        void Add(string cohort, IReadOnlyList<RunRow> members)
        {
            var passed = members.Count(m => m.Passed == true);
            var rate = (double)passed / members.Count;
            foreach (var name in new[] { "*", evaluator })
            {
                cohorts.Add(new CohortResult
                {
                    Cohort = cohort,
                    Evaluator = name,
                    Rows = members.Count,
                    Passed = passed,
                    PassRate = rate,
                    Ci95 = WilsonInterval.Of(passed, members.Count),
                    BaselineRows = baseline ? members.Count : null,
                    BaselinePassRate = baseline ? 1.0 : null,
                    Delta = baseline ? rate - 1.0 : null,
                });
            }

            if (cohort != "*")
            {
                var failed = passed < members.Count;
                gates.Add(new GateResult
                {
                    Gate = 0,
                    Line = 9,
                    Cohort = cohort,
                    Evaluator = "*",
                    Status = failed ? GateStatuses.Failed : GateStatuses.Passed,
                    Blocking = failed,
                    Rows = members.Count,
                    PassRate = rate,
                    MinPassRate = 1.0,
                    MinRows = 1,
                    Message = failed ? $"{cohort}: pass rate {Flywheel.Evals.Reports.ReportText.Percent(rate)} ({passed}/{members.Count}) is below the minimum 100.0%" : $"{cohort}: pass rate 100.0% meets the minimum 100.0%",
                });
            }
        }

        Add("*", runRows);
        foreach (var group in runRows.GroupBy(r => r.Tags["intent"], StringComparer.Ordinal))
        {
            Add($"intent={group.Key}", group.ToList());
        }

        return new Run
        {
            Verdict = gates.Any(g => g.Blocking) ? Verdicts.Failed : Verdicts.Passed,
            Commit = "0123456789abcdef0123456789abcdef01234567",
            Config = "evaluators/flywheel.json",
            ConfigSha256 = "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12",
            Responses = "responses.jsonl",
            Baseline = baseline ? "base/run.json" : null,
            StartedAt = "2026-12-03T10:00:00.000Z",
            DurationMs = 1234,
            Models = ["test-model"],
            Datasets = [new RunDataset { Name = dataset, Version = "1.0.0", Rows = runRows.Count, Path = "datasets/demo" }],
            Rows = RunRows.FromList(runRows),
            Cohorts = cohorts,
            Gates = gates,
            Regressions = baseline
                ? runRows.Where(r => r.Passed != true).Select(r => new Regression { Dataset = dataset, Id = r.Id, Evaluator = evaluator, Line = r.Line, Reason = r.Scores[0].Reason }).ToList()
                : [],
        };
    }

    /// <summary><paramref name="count"/> rows over <paramref name="cohorts"/> intents, all failing with <paramref name="reason"/>.</summary>
    public static Run Failing(int count, int cohorts, string reason, bool baseline = true) =>
        Build(Enumerable.Range(1, count).Select(i => new TestRow($"row-{i:00000}", $"i{i % cohorts:00000}", reason)).ToList(), baseline);
}

/// <summary>One row of a <see cref="TestRuns"/> run.</summary>
/// <param name="Passed">False fails the row, null leaves it undecided with <paramref name="Reason"/> as its error.</param>
internal sealed record TestRow(string Id, string Intent, string Reason, bool? Passed = false, string Review = Flywheel.Evals.Datasets.ReviewStatuses.Approved);
