using System.Text.Json;

namespace Flywheel.Evals.Judges;

/// <summary>What is sent to the judge: the reviewed instructions, the case as JSON, and a check beyond the answer's schema.</summary>
/// <param name="Instructions">The system message and the answer's schema.</param>
/// <param name="Payload">The case: a JSON object with the fields the prompt describes (the user message).</param>
/// <param name="Check">Checks an answer beyond its schema (e.g. one judgement per item); returns the problem or null.</param>
public sealed record JudgeQuestion(JudgeInstructions Instructions, string Payload, Func<JsonElement, string?>? Check = null)
{
    /// <summary>The answer's schema.</summary>
    public JudgeAnswerSchema Schema => Instructions.Schema;
}
