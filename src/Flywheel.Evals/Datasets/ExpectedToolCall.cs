using System.Text.Json;

namespace Flywheel.Evals.Datasets;

/// <summary>A call the agent must make: the function and, per argument, the values it may take.</summary>
public sealed record ExpectedToolCall
{
    /// <summary>The function name.</summary>
    public required string Name { get; init; }

    /// <summary>Each argument's acceptable values; <c>""</c> among them means the argument may be left out.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<JsonElement>>? Arguments { get; init; }
}
