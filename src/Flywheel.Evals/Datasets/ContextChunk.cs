namespace Flywheel.Evals.Datasets;

/// <summary>A retrieved chunk (policy text, a tool result) the answer may rely on.</summary>
public sealed record ContextChunk
{
    /// <summary>The chunk's id, named in groundedness reasons.</summary>
    public required string Id { get; init; }

    /// <summary>The chunk's text.</summary>
    public required string Text { get; init; }

    /// <summary>Where the chunk came from (document, tool).</summary>
    public string? Source { get; init; }
}
