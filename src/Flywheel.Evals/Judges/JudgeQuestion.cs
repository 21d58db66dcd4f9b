using System.Text.Json;

namespace Flywheel.Evals.Judges;

/// <summary>What is sent to the judge: the reviewed prompt file as instructions, the case as JSON, and the shape the answer must have.</summary>
/// <param name="Instructions">The prompt file's text (the system message).</param>
/// <param name="Payload">The case: a JSON object with the fields the prompt describes (the user message).</param>
/// <param name="Schema">The answer's JSON Schema.</param>
/// <param name="Check">Checks an answer beyond its schema (e.g. one judgement per item); returns the problem or null.</param>
public sealed record JudgeQuestion(string Instructions, string Payload, JudgeAnswerSchema Schema, Func<JsonElement, string?>? Check = null);
