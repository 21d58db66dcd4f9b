namespace Flywheel.Evals.Runs;

/// <summary>A row that passed in the baseline and fails now: what to look at first.</summary>
public sealed record Regression
{
    /// <summary>The dataset name.</summary>
    public required string Dataset { get; init; }

    /// <summary>The row id.</summary>
    public required string Id { get; init; }

    /// <summary>The evaluator that now fails (or <c>*</c>).</summary>
    public required string Evaluator { get; init; }

    /// <summary>The line of the row in rows.jsonl.</summary>
    public int? Line { get; init; }

    /// <summary>The evaluator's reason.</summary>
    public string? Reason { get; init; }
}
