namespace Flywheel.Evals.Targets;

/// <summary>What the system under test answered for a row.</summary>
public sealed record Response
{
    /// <summary>The dataset of the row; may be left out when the suite has one dataset.</summary>
    public string? Dataset { get; init; }

    /// <summary>The row id the response answers.</summary>
    public required string Id { get; init; }

    /// <summary>The answer text.</summary>
    public string? Output { get; init; }

    /// <summary>The function calls the agent made.</summary>
    public IReadOnlyList<ResponseToolCall>? ToolCalls { get; init; }

    /// <summary>The model id that answered.</summary>
    public string? Model { get; init; }

    /// <summary>Wall time of the answer, in milliseconds.</summary>
    public double? LatencyMs { get; init; }

    /// <summary>Prompt tokens used.</summary>
    public long? InputTokens { get; init; }

    /// <summary>Completion tokens used.</summary>
    public long? OutputTokens { get; init; }
}
