using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Reports;

/// <summary>One cohort: its row-level aggregate, each evaluator's aggregate, and whether a gate on it failed.</summary>
public sealed record CohortTableLine(CohortResult Overall, IReadOnlyDictionary<string, CohortResult?> ByEvaluator, bool FailedGate);
