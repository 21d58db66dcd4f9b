namespace Flywheel.Evals.Runs;

/// <summary>What a run read of one dataset: its version at a commit and how many rows.</summary>
public sealed record RunDataset
{
    /// <summary>The dataset name.</summary>
    public required string Name { get; init; }

    /// <summary>The manifest version.</summary>
    public required string Version { get; init; }

    /// <summary>The commit the dataset was read at (with +dirty when the work tree differs).</summary>
    public string? Commit { get; init; }

    /// <summary>The dataset folder relative to the root.</summary>
    public string? Path { get; init; }

    /// <summary>Rows read.</summary>
    public int Rows { get; init; }
}
