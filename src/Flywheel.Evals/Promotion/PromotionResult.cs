namespace Flywheel.Evals.Promotion;

/// <summary>What a promotion did: the row it added, where, the version bump and the commit.</summary>
public sealed record PromotionResult
{
    /// <summary>The new row's id.</summary>
    public required string Id { get; init; }

    /// <summary>rows.jsonl, relative to the root.</summary>
    public required string RowsPath { get; init; }

    /// <summary>The line the row was inserted at.</summary>
    public required int Line { get; init; }

    /// <summary>The dataset version before.</summary>
    public required string OldVersion { get; init; }

    /// <summary>The dataset version after (minor bumped).</summary>
    public required string NewVersion { get; init; }

    /// <summary>The most similar existing row and its similarity, when one was close.</summary>
    public (string Id, double Similarity)? Nearest { get; init; }

    /// <summary>The branch committed on, with --commit.</summary>
    public string? Branch { get; init; }

    /// <summary>The commit created, with --commit.</summary>
    public string? CommitSha { get; init; }

    /// <summary>With --commit, the promoted files that had uncommitted edits: the commit left them out, and they are still uncommitted.</summary>
    public IReadOnlyList<string> KeptUncommitted { get; init; } = [];
}
