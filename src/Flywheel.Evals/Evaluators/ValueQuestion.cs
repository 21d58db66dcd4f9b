using System.Text.Json;

namespace Flywheel.Evals.Evaluators;

/// <summary>An argument value the rules cannot accept but a judge may: does <see cref="Value"/> mean one of <see cref="Acceptable"/>?</summary>
internal sealed record ValueQuestion(string Tool, string Argument, JsonElement Value, IReadOnlyList<JsonElement> Acceptable, JsonElement? Schema, string? ToolDescription)
{
    /// <summary>The value as the rules would accept it once the judge says yes.</summary>
    public AcceptedValue Key => new(Tool, Argument, Value.GetRawText());
}
