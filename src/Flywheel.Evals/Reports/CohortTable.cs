using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Reports;

/// <summary>The cohort table every report shows: one line per cohort with the row-level pass and each evaluator's pass rate.</summary>
public sealed record CohortTable(IReadOnlyList<string> Evaluators, IReadOnlyList<CohortTableLine> Lines)
{
    /// <summary>Pivots a run's cohort × evaluator aggregates into lines per cohort.</summary>
    public static CohortTable Of(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var evaluators = run.Cohorts.Select(c => c.Evaluator).Where(e => e != "*").Distinct().ToList();
        var gated = run.Gates.Where(g => g.Status is GateStatuses.Failed or GateStatuses.Insufficient && g.Blocking)
            .Select(g => g.Cohort).ToHashSet(StringComparer.Ordinal);
        // One lookup per cell: thousands of cohorts made a scan per cell quadratic.
        var byKey = new Dictionary<(string Cohort, string Evaluator), CohortResult>();
        foreach (var cohort in run.Cohorts)
        {
            byKey.TryAdd((cohort.Cohort, cohort.Evaluator), cohort);
        }

        var lines = run.Cohorts.Where(c => c.Evaluator == "*")
            .Select(c => new CohortTableLine(
                c,
                evaluators.ToDictionary(e => e, e => byKey.GetValueOrDefault((c.Cohort, e)), StringComparer.Ordinal),
                gated.Contains(c.Cohort)))
            .ToList();
        return new CohortTable(evaluators, lines);
    }
}
