namespace Flywheel.Evals.Datasets;

/// <summary>The review of a row: its status and the reviewers' labels.</summary>
public sealed record RowReview
{
    /// <summary>approved, pending or disputed.</summary>
    public required string Status { get; init; }

    /// <summary>Who reviewed the row.</summary>
    public IReadOnlyList<string>? Reviewers { get; init; }

    /// <summary>The reviewers' labels.</summary>
    public IReadOnlyList<ReviewLabel>? Labels { get; init; }
}
