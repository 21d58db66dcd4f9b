namespace Flywheel.Evals.Git;

/// <summary>How one dataset differs between two revisions.</summary>
public sealed record DatasetDiff
{
    /// <summary>The dataset folder (repository-relative).</summary>
    public required string Path { get; init; }

    /// <summary>The manifest version at the base; null when the dataset is new.</summary>
    public string? BaseVersion { get; init; }

    /// <summary>The manifest version at the head; null when the dataset was removed.</summary>
    public string? HeadVersion { get; init; }

    /// <summary>Ids of rows only the head has.</summary>
    public required IReadOnlyList<string> Added { get; init; }

    /// <summary>Ids of rows only the base has.</summary>
    public required IReadOnlyList<string> Removed { get; init; }

    /// <summary>Rows with the same id and different content.</summary>
    public required IReadOnlyList<RowChange> Changed { get; init; }

    /// <summary>A problem worth a look (rows changed but the version was not bumped).</summary>
    public string? Warning { get; init; }

    /// <summary>True when nothing differs.</summary>
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Changed.Count == 0 && BaseVersion == HeadVersion;
}
