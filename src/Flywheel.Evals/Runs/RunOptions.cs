namespace Flywheel.Evals.Runs;

/// <summary>What to run: the suite, the root its paths resolve against, and the overrides of the command line.</summary>
public sealed record RunOptions
{
    /// <summary>The directory relative paths resolve against.</summary>
    public required string Root { get; init; }

    /// <summary>The suite file, relative to the root or absolute.</summary>
    public string Config { get; init; } = "evaluators/flywheel.json";

    /// <summary>A responses file that replaces the suite's recorded target.</summary>
    public string? Responses { get; init; }

    /// <summary>A baseline run.json to compare with.</summary>
    public string? Baseline { get; init; }

    /// <summary>A git revision whose suite, datasets and responses make the baseline (compared at the merge base with HEAD).</summary>
    public string? BaselineRef { get; init; }

    /// <summary>A git revision whose suite (at the merge base with HEAD) supplies the gates, evaluators, judge and endpoints; null to use the suite's own.</summary>
    public string? GatesFrom { get; init; }

    /// <summary>The commit to record instead of asking git (a baseline computed from the object database).</summary>
    public string? Commit { get; init; }

    /// <summary>How many rows are scored at once.</summary>
    public int Concurrency { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>False to make every gate's insufficient cohort a warning, as if each gate said <c>"on_insufficient": "warn"</c>.</summary>
    public bool FailOnInsufficient { get; init; } = true;

    /// <summary>False to only validate (read and join everything, score nothing).</summary>
    public bool Score { get; init; } = true;

    /// <summary>How models are called (the judge, a chat target): budget, repeats, concurrency, cache.</summary>
    public Flywheel.Evals.Chat.ModelCallOptions ModelCalls { get; init; } = new();

    /// <summary>Receives progress as rows finish; null when nobody watches.</summary>
    public RunProgress? Progress { get; init; }

    /// <summary>The clock (tests pin it).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Wraps the target the run opens: how a test makes a response fail the way a bug would, which no input can.</summary>
    internal Func<Flywheel.Evals.Targets.ITarget, Flywheel.Evals.Targets.ITarget>? WrapTarget { get; init; }
}
