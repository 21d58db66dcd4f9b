namespace Flywheel.Evals.Suites;

/// <summary>How a judge is asked for JSON: endpoints differ in what they support.</summary>
public static class JudgeResponseFormats
{
    /// <summary>Structured output: the answer schema is sent and the endpoint constrains the answer to it.</summary>
    public const string JsonSchema = "json_schema";
    /// <summary>JSON mode: any JSON object; the schema is only in the prompt and checked on arrival.</summary>
    public const string JsonObject = "json_object";
    /// <summary>No response format at all, for endpoints that reject one; the answer is still validated.</summary>
    public const string Text = "text";
}
