namespace Flywheel.Evals.Runs;

/// <summary>A row's outcome in the baseline: passed (null when it did not gate) and the evaluators it passed.</summary>
public sealed record BaselineRow(bool? Passed, IReadOnlySet<string> PassedEvaluators);
