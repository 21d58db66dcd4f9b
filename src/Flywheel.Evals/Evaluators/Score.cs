using System.Text.Json.Serialization;

namespace Flywheel.Evals.Evaluators;

/// <summary>One evaluator's judgement of one row: a value in [0,1], passed or failed, and why; or an error when it could not decide.</summary>
public sealed record Score
{
    /// <summary>The evaluator's name from the suite.</summary>
    public required string Evaluator { get; init; }

    /// <summary>The score in [0,1]; null when the evaluator could not decide.</summary>
    [JsonPropertyName("score")]
    public double? Value { get; init; }

    /// <summary>Passed or failed; null when the evaluator could not decide (see <see cref="Error"/>).</summary>
    public bool? Passed { get; init; }

    /// <summary>Why, in words a person can act on.</summary>
    public string? Reason { get; init; }

    /// <summary>Why no decision could be made; an error is never a pass.</summary>
    public string? Error { get; init; }

    /// <summary>True when a judge asked several times (--judge-repeats) disagreed with itself; null otherwise.</summary>
    public bool? Unstable { get; init; }

    /// <summary>The judge's vote per repeat (pass, fail, error) when it was asked more than once.</summary>
    public IReadOnlyList<string>? Votes { get; init; }

    /// <summary>Evaluator-specific details (matched calls, unsupported claims ...).</summary>
    public IReadOnlyDictionary<string, object?>? Details { get; init; }

    /// <summary>A passing or failing score.</summary>
    public static Score Decided(string evaluator, double value, bool passed, string reason, IReadOnlyDictionary<string, object?>? details = null) =>
        new() { Evaluator = evaluator, Value = Math.Clamp(value, 0, 1), Passed = passed, Reason = reason, Details = details };

    /// <summary>A score for a row the evaluator could not decide.</summary>
    public static Score Failed(string evaluator, string error) =>
        new() { Evaluator = evaluator, Error = error };
}
