using Flywheel.Evals.Gates;
using Flywheel.Evals.Suites;

namespace Flywheel.Evals.Runs;

/// <summary>Compares a run with its baseline: per-cohort deltas, the rows that flipped from pass to fail, max_drop gates.</summary>
public static class RunComparison
{
    /// <summary>Fills in the baseline figures of each cohort.</summary>
    public static IReadOnlyList<CohortResult> WithBaseline(IReadOnlyList<CohortResult> cohorts, Baseline? baseline)
    {
        ArgumentNullException.ThrowIfNull(cohorts);
        if (baseline is null)
        {
            return cohorts;
        }

        var before = baseline.Cohorts.ToDictionary(c => (c.Cohort, c.Evaluator));
        return cohorts.Select(c => before.TryGetValue((c.Cohort, c.Evaluator), out var b)
            ? c with
            {
                BaselineRows = b.Rows,
                BaselinePassRate = b.PassRate,
                Delta = c.PassRate is { } now && b.PassRate is { } then ? Math.Round(now - then, 6) : null,
            }
            : c).ToList();
    }

    /// <summary>The gating rows that passed in the baseline and fail now, one entry per evaluator that flipped.</summary>
    public static IReadOnlyList<Regression> Regressions(IEnumerable<RunRow> notPassing, Baseline baseline)
    {
        ArgumentNullException.ThrowIfNull(notPassing);
        ArgumentNullException.ThrowIfNull(baseline);
        var regressions = new List<Regression>();
        foreach (var row in notPassing)
        {
            if (!row.Gates || row.Passed != false || !baseline.TryGetRow(row.Dataset, row.Id, out var before) || before.Passed != true)
            {
                continue;
            }

            var failing = row.Scores.Where(s => s.Passed != true).ToList();
            var flipped = failing.Where(s => before.PassedEvaluators.Contains(s.Evaluator)).ToList();
            foreach (var score in flipped.Count > 0 ? flipped : failing)
            {
                regressions.Add(new Regression { Dataset = row.Dataset, Id = row.Id, Evaluator = score.Evaluator, Line = row.Line, Reason = score.Reason ?? score.Error });
            }
        }

        return regressions;
    }

    /// <summary>The rows this run has that the baseline lacks, and the other way round, as dataset/id.</summary>
    public static (IReadOnlyList<string> Added, IReadOnlyList<string> Removed) AddedAndRemoved(IEnumerable<RunRow> rows, Baseline baseline)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(baseline);
        var current = new HashSet<(string, string)>();
        var added = new List<string>();
        foreach (var row in rows)
        {
            current.Add((row.Dataset, row.Id));
            if (!baseline.Contains(row.Dataset, row.Id))
            {
                added.Add(row.Key);
            }
        }

        var removed = baseline.Keys.Where(k => !current.Contains(k)).Select(k => $"{k.Dataset}/{k.Id}").Order(StringComparer.Ordinal).ToList();
        return (added, removed);
    }

    /// <summary>How many of the baseline's rows this run lacks, per cohort they had in the baseline (<c>*</c>: all of them), for <c>max_rows_removed</c>; cohorts other than <c>*</c> need a baseline that kept them.</summary>
    public static IReadOnlyDictionary<string, int> RemovedPerCohort(IEnumerable<RunRow> rows, Baseline baseline)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(baseline);
        var current = rows.Select(r => (r.Dataset, r.Id)).ToHashSet();
        var removed = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var key in baseline.Keys.Where(k => !current.Contains(k)))
        {
            baseline.TryGetRow(key.Dataset, key.Id, out var row);
            foreach (var cohort in row.Cohorts.Prepend("*"))
            {
                removed[cohort] = removed.GetValueOrDefault(cohort) + 1;
            }
        }

        return removed;
    }

    /// <summary>Re-reads a finished run against a baseline (for <c>flywheel report --baseline</c>): deltas, regressions, and its gates judged again.</summary>
    public static Run Compare(Run run, Baseline baseline)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(baseline);
        var cohorts = WithBaseline(run.Cohorts.Select(c => c with { BaselineRows = null, BaselinePassRate = null, Delta = null }).ToList(), baseline);
        var removedPerCohort = run.Gates.Any(g => g.MaxRowsRemoved is not null) ? RemovedPerCohort(run.Rows, baseline) : null;

        // A run keeps each gate's thresholds per cohort, which is all a gate needs to be judged again.
        var gates = run.Gates.Select(g => GateEvaluator.Evaluate(
            [new GateConfig
            {
                Cohort = g.Cohort,
                Evaluator = g.Evaluator,
                MinPassRate = g.MinPassRate,
                MaxDrop = g.MaxDrop,
                MinRows = g.MinRows,
                MaxRowsRemoved = g.MaxRowsRemoved,
                WarnOnInsufficient = g.Status == GateStatuses.Insufficient && !g.Blocking,
                Index = g.Gate,
                Line = g.Line ?? 0,
            }],
            cohorts,
            hasBaseline: true,
            removedPerCohort).Single()).ToList();
        var verdict = run.Errors.Count > 0 ? Verdicts.Error : gates.Any(g => g.Blocking) ? Verdicts.Failed : Verdicts.Passed;
        var (added, removed) = AddedAndRemoved(run.Rows, baseline);
        return run with
        {
            Baseline = baseline.Display,
            Cohorts = cohorts,
            Gates = gates,
            Regressions = Regressions(run.Rows.NotPassing, baseline),
            RowsAdded = added,
            RowsRemoved = removed,
            Verdict = verdict,
        };
    }
}
