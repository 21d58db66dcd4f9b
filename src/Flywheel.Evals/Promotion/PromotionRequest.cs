namespace Flywheel.Evals.Promotion;

/// <summary>What to promote: a trace file into a dataset, with the expectations a reviewer will check in the pull request.</summary>
public sealed record PromotionRequest
{
    /// <summary>The repository root (suite paths resolve against it).</summary>
    public required string Root { get; init; }

    /// <summary>The suite file (for the dataset's folder and the redaction patterns).</summary>
    public string Config { get; init; } = "evaluators/flywheel.json";

    /// <summary>The trace file: OTLP JSON or a JSONL trace log.</summary>
    public required string TracePath { get; init; }

    /// <summary>The dataset name.</summary>
    public required string Dataset { get; init; }

    /// <summary>The new row's id; by default the intent and the trace id.</summary>
    public string? Id { get; init; }

    /// <summary>Acceptable answers.</summary>
    public IReadOnlyList<string> Expected { get; init; } = [];

    /// <summary>Expected calls, as <c>name(arg=value|other, opt?=value)</c> or a JSON object.</summary>
    public IReadOnlyList<string> ExpectedToolCalls { get; init; } = [];

    /// <summary>True to expect that no tool is called.</summary>
    public bool ExpectNoToolCall { get; init; }

    /// <summary>What went wrong in production (ungrounded, wrong_tool ...).</summary>
    public string? FailureMode { get; init; }

    /// <summary>Tags to set (they win over the trace's own).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>True to promote even when a near-duplicate row exists.</summary>
    public bool AllowNearDuplicate { get; init; }

    /// <summary>True to commit the change on a new branch (HEAD moves to it; other uncommitted edits stay uncommitted).</summary>
    public bool Commit { get; init; }

    /// <summary>The branch to commit on (default flywheel/promote/&lt;id&gt;).</summary>
    public string? Branch { get; init; }

    /// <summary>Who promoted the row (default: git's user.name, else the OS user).</summary>
    public string? PromotedBy { get; init; }

    /// <summary>How long to wait for another promotion into the same dataset (or repository) to finish before refusing.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
