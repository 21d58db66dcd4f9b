namespace Flywheel.Evals.Datasets;

/// <summary>One chat message of a row's input.</summary>
public sealed record RowMessage
{
    /// <summary>system, user, assistant or tool.</summary>
    public required string Role { get; init; }

    /// <summary>The message text.</summary>
    public required string Content { get; init; }

    /// <summary>Optional author or tool name.</summary>
    public string? Name { get; init; }

    /// <summary>For tool messages, the call they answer.</summary>
    public string? ToolCallId { get; init; }
}
