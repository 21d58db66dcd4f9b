using System.Text.Json;

namespace Flywheel.Evals.Targets;

/// <summary>One function call made by the agent.</summary>
public sealed record ResponseToolCall
{
    /// <summary>The function name.</summary>
    public required string Name { get; init; }

    /// <summary>The arguments: a JSON object, or a string holding one (as OpenAI returns them).</summary>
    public JsonElement? Arguments { get; init; }
}
