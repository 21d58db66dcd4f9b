namespace Flywheel.Action.GitHub;

/// <summary>What happened to the sticky pull request comment: created, updated, skipped or failed, and why.</summary>
internal sealed record StickyCommentResult(string Outcome, string? Url, string Explanation)
{
    /// <summary>A new comment was posted.</summary>
    public const string Created = "created";
    /// <summary>The existing comment was edited in place.</summary>
    public const string Updated = "updated";
    /// <summary>No comment was attempted (disabled, not a pull request, fork, no token).</summary>
    public const string Skipped = "skipped";
    /// <summary>The API refused or could not be reached; the gate's verdict still decides the exit code.</summary>
    public const string Failed = "failed";

    /// <summary>True when the comment now shows this run.</summary>
    public bool Posted => Outcome is Created or Updated;
}
