using Flywheel.Evals.Datasets;
using Flywheel.Evals.Targets;

namespace Flywheel.Evals.Promotion;

/// <summary>What a production trace says happened: the conversation, the context retrieved, the calls made and the answer.</summary>
public sealed record Trace
{
    /// <summary>The trace id.</summary>
    public required string TraceId { get; init; }

    /// <summary>The messages that led to the answer (system, user, earlier turns, tool results).</summary>
    public required IReadOnlyList<RowMessage> Messages { get; init; }

    /// <summary>Retrieved chunks the model saw.</summary>
    public IReadOnlyList<ContextChunk> Context { get; init; } = [];

    /// <summary>Functions offered to the model.</summary>
    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];

    /// <summary>The calls the agent made.</summary>
    public IReadOnlyList<ResponseToolCall> ToolCalls { get; init; } = [];

    /// <summary>The final answer.</summary>
    public string? Output { get; init; }

    /// <summary>The model that answered.</summary>
    public string? Model { get; init; }

    /// <summary>Tags the application attached (intent, locale ...).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
