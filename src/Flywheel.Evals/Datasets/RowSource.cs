namespace Flywheel.Evals.Datasets;

/// <summary>The production trace a row was promoted from.</summary>
public sealed record RowSource
{
    /// <summary>The trace id.</summary>
    public string? TraceId { get; init; }

    /// <summary>What went wrong in production (ungrounded, wrong_tool ...).</summary>
    public string? FailureMode { get; init; }

    /// <summary>Who promoted it.</summary>
    public string? PromotedBy { get; init; }

    /// <summary>When it was promoted (ISO 8601).</summary>
    public string? PromotedAt { get; init; }
}
