namespace Flywheel.Evals.Runs;

/// <summary>One case a run will score: a row and an evaluator that applies to it.</summary>
public sealed record SuiteCase(string Dataset, string Id, string Evaluator, int Line, IReadOnlyDictionary<string, string> Tags, string Review);
