using System.Text.Json;

namespace Flywheel.Evals.Judges;

/// <summary>The JSON Schema an answer must satisfy: sent as structured output where the endpoint supports it, always checked on arrival.</summary>
public sealed class JudgeAnswerSchema
{
    /// <summary>Creates a schema.</summary>
    /// <param name="name">The name sent with structured output (letters, digits, _ and -).</param>
    /// <param name="json">The schema text (draft-07; every object closed and every property required, as strict structured output wants).</param>
    public JudgeAnswerSchema(string name, string json)
    {
        Name = name;
        Json = json;
        using var document = JsonDocument.Parse(json);
        Element = document.RootElement.Clone();
        ResponseFormat = Microsoft.Extensions.AI.ChatResponseFormat.ForJsonSchema(Element, name);
    }

    /// <summary>The structured-output format, made once: the OpenAI adapter caches its transformed schema per instance.</summary>
    public Microsoft.Extensions.AI.ChatResponseFormatJson ResponseFormat { get; }

    /// <summary>The schema's name.</summary>
    public string Name { get; }

    /// <summary>The schema text.</summary>
    public string Json { get; }

    /// <summary>The schema as sent to the endpoint.</summary>
    public JsonElement Element { get; }
}
