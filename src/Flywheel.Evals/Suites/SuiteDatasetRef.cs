namespace Flywheel.Evals.Suites;

/// <summary>A dataset folder named by the suite, with where the suite names it.</summary>
public sealed record SuiteDatasetRef(string Path, int Line, int Column);
