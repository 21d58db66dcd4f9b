using System.Text.Json.Serialization;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Evaluators;
using Flywheel.Evals.Targets;

namespace Flywheel.Evals.Runs;

/// <summary>One row's outcome in a run: its scores and, for rows that did not pass, what a reviewer needs to see why.</summary>
public sealed record RunRow
{
    /// <summary>The dataset name.</summary>
    public required string Dataset { get; init; }

    /// <summary>The row id.</summary>
    public required string Id { get; init; }

    /// <summary>The line of rows.jsonl (for annotations).</summary>
    public int? Line { get; init; }

    /// <summary>The row's tags.</summary>
    public required IReadOnlyDictionary<string, string> Tags { get; init; }

    /// <summary>The review status; only approved rows gate.</summary>
    public string Review { get; init; } = ReviewStatuses.Approved;

    /// <summary>True when every applicable evaluator passed, false when one failed, null when undecided (see <see cref="Error"/>) or nothing applied.</summary>
    public bool? Passed { get; init; }

    /// <summary>Why the row could not be scored (no response, an evaluator error).</summary>
    public string? Error { get; init; }

    /// <summary>One score per applicable evaluator.</summary>
    public required IReadOnlyList<Score> Scores { get; init; }

    /// <summary>The input, for rows that did not pass.</summary>
    public IReadOnlyList<RowMessage>? Input { get; init; }

    /// <summary>The context, for rows that did not pass.</summary>
    public IReadOnlyList<ContextChunk>? Context { get; init; }

    /// <summary>The expectation, for rows that did not pass.</summary>
    public Expectation? Expected { get; init; }

    /// <summary>The response, for rows that did not pass.</summary>
    public Response? Response { get; init; }

    /// <summary>True when the row counts in cohorts and gates.</summary>
    [JsonIgnore]
    public bool Gates => Review == ReviewStatuses.Approved && Scores.Count > 0;

    /// <summary>The row's key across runs.</summary>
    [JsonIgnore]
    public string Key => $"{Dataset}/{Id}";
}
