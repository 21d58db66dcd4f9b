namespace Flywheel.Evals.Runs;

/// <summary>A row's outcome in the baseline: passed (null when it did not gate), the evaluators it passed, and the cohorts its tags put it in.</summary>
public sealed record BaselineRow(bool? Passed, IReadOnlySet<string> PassedEvaluators)
{
    /// <summary>The cohorts (<c>key=value</c>, over the run's cohort keys) the row belonged to in the baseline, <c>*</c> implied; empty unless the baseline was read to keep them (a gate sets max_rows_removed).</summary>
    public IReadOnlyList<string> Cohorts { get; init; } = [];
}
