namespace Flywheel.Evals.Git;

/// <summary>A row whose id stayed and whose content changed, with the top-level fields that differ.</summary>
public sealed record RowChange(string Id, IReadOnlyList<string> Fields);
