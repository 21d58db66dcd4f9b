namespace Flywheel.Evals.Suites;

/// <summary>Where responses come from: <c>recorded</c> (a responses file) or <c>chat</c> (live calls).</summary>
public sealed record TargetConfig
{
    /// <summary>recorded or chat.</summary>
    public required string Kind { get; init; }

    /// <summary>For recorded targets: the responses JSONL, relative to the root.</summary>
    public string? Responses { get; init; }

    /// <summary>Where the target is declared in the suite file.</summary>
    public int Line { get; init; }
}
