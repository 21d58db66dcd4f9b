namespace Flywheel.Evals.Datasets;

/// <summary>One reviewer's label on a row.</summary>
public sealed record ReviewLabel
{
    /// <summary>The reviewer.</summary>
    public required string Reviewer { get; init; }

    /// <summary>The label (unsupported_claim, wrong_tool ...).</summary>
    public required string Label { get; init; }

    /// <summary>A free-text note.</summary>
    public string? Note { get; init; }
}
