using System.Text.Json;

namespace Flywheel.Evals.Datasets;

/// <summary>A function offered to the model.</summary>
public sealed record ToolDefinition
{
    /// <summary>The function name.</summary>
    public required string Name { get; init; }

    /// <summary>What the function does, for the model.</summary>
    public string? Description { get; init; }

    /// <summary>The JSON Schema of the arguments object.</summary>
    public JsonElement? Parameters { get; init; }
}
