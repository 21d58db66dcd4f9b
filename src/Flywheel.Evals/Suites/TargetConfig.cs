namespace Flywheel.Evals.Suites;

/// <summary>Where responses come from: <c>recorded</c> (a responses file) or <c>chat</c> (live calls).</summary>
public sealed record TargetConfig
{
    /// <summary>recorded or chat.</summary>
    public required string Kind { get; init; }

    /// <summary>For recorded targets: the responses JSONL, relative to the root.</summary>
    public string? Responses { get; init; }

    /// <summary>For chat targets: the endpoint and model that answer.</summary>
    public ModelEndpointConfig? Chat { get; init; }

    /// <summary>For chat targets: the system prompt file, relative to the root.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>For chat targets: offer each row's tools to the model.</summary>
    public bool ToolsFromRows { get; init; } = true;

    /// <summary>For chat targets: the most tokens an answer may use; null leaves the endpoint's default.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>Where the target is declared in the suite file.</summary>
    public int Line { get; init; }
}
