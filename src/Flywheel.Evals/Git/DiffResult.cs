namespace Flywheel.Evals.Git;

/// <summary>Every dataset's differences between two revisions.</summary>
public sealed record DiffResult(string Base, string BaseCommit, string Head, string HeadCommit, IReadOnlyList<DatasetDiff> Datasets);
