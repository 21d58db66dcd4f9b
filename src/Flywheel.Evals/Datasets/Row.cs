using System.Text.Json.Serialization;

namespace Flywheel.Evals.Datasets;

/// <summary>One regression case: one line of a dataset's rows.jsonl.</summary>
public sealed record Row
{
    /// <summary>Unique within its dataset; rows are sorted by it.</summary>
    public required string Id { get; init; }

    /// <summary>Flat string map of cohort tags (intent, locale, product ...).</summary>
    public required IReadOnlyDictionary<string, string> Tags { get; init; }

    /// <summary>The chat messages sent to the system under test.</summary>
    public required IReadOnlyList<RowMessage> Input { get; init; }

    /// <summary>Retrieved chunks the answer must be grounded in.</summary>
    public IReadOnlyList<ContextChunk>? Context { get; init; }

    /// <summary>What a correct response looks like.</summary>
    public Expectation? Expected { get; init; }

    /// <summary>Function definitions offered to the model.</summary>
    public IReadOnlyList<ToolDefinition>? Tools { get; init; }

    /// <summary>Where the row came from (a promoted production trace).</summary>
    public RowSource? Source { get; init; }

    /// <summary>The annotation state; only approved rows gate.</summary>
    public RowReview? Review { get; init; }

    /// <summary>The 1-based line of rows.jsonl the row was read from.</summary>
    [JsonIgnore]
    public int Line { get; init; }

    /// <summary>The review status; a row without a review block was approved when it merged.</summary>
    [JsonIgnore]
    public string ReviewStatus => Review?.Status ?? ReviewStatuses.Approved;

    /// <summary>True when the row counts towards cohorts and gates.</summary>
    [JsonIgnore]
    public bool Gates => ReviewStatus == ReviewStatuses.Approved;
}
