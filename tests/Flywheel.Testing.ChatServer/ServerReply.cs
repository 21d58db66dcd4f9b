namespace Flywheel.Testing.ChatServer;

/// <summary>What the assistant answers: text and/or tool calls (arguments as the JSON text OpenAI sends).</summary>
public sealed record ServerReply(string? Content, IReadOnlyList<(string Name, string Arguments)>? ToolCalls = null)
{
    /// <summary>A text answer.</summary>
    public static ServerReply Text(string content) => new(content);
}
