using System.Text.Json;

namespace Flywheel.Evals.Judges;

/// <summary>One answer of the judge to one question: the validated JSON, or why there is none.</summary>
public sealed record JudgeAnswer
{
    /// <summary>The answer, valid against the question's schema; null on error.</summary>
    public JsonElement? Value { get; init; }

    /// <summary>Why there is no valid answer (the call failed, the budget ran out, the answer did not validate twice).</summary>
    public string? Error { get; init; }

    /// <summary>A valid answer.</summary>
    public static JudgeAnswer Valid(JsonElement value) => new() { Value = value.Clone() };

    /// <summary>No answer.</summary>
    public static JudgeAnswer Failed(string error) => new() { Error = error };
}
