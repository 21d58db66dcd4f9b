namespace Flywheel.Evals.Suites;

/// <summary>The judge model that <c>llm</c> evaluators ask: <c>"judge"</c> in the suite.</summary>
public sealed record JudgeConfig
{
    /// <summary>Where the judge is and which model answers.</summary>
    public required ModelEndpointConfig Endpoint { get; init; }

    /// <summary>How the answer's JSON shape is requested: json_schema (structured output), json_object or text.</summary>
    public string ResponseFormat { get; init; } = JudgeResponseFormats.JsonSchema;

    /// <summary>How many times each question is asked (majority vote); the command line's --judge-repeats overrides it.</summary>
    public int Repeats { get; init; } = 1;
}
