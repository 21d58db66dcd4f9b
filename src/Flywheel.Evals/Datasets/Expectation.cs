namespace Flywheel.Evals.Datasets;

/// <summary>What a correct response looks like.</summary>
public sealed record Expectation
{
    /// <summary>Acceptable answers; any one of them is correct.</summary>
    public IReadOnlyList<string>? Answers { get; init; }

    /// <summary>The calls the agent must make; an empty list means no call may be made.</summary>
    public IReadOnlyList<ExpectedToolCall>? ToolCalls { get; init; }

    /// <summary><c>any</c> (default) or <c>strict</c>.</summary>
    public string? ToolOrder { get; init; }
}
