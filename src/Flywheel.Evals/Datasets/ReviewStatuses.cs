namespace Flywheel.Evals.Datasets;

/// <summary>The values of <c>review.status</c>.</summary>
public static class ReviewStatuses
{
    /// <summary>Reviewed and accepted: the row gates.</summary>
    public const string Approved = "approved";
    /// <summary>Waiting for review (a fresh promotion): shown, never gates.</summary>
    public const string Pending = "pending";
    /// <summary>Reviewers disagree: shown, never gates.</summary>
    public const string Disputed = "disputed";
}
