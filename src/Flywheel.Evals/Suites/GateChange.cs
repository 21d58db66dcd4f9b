namespace Flywheel.Evals.Suites;

/// <summary>One trusted setting that differs between the revision the gates come from and the suite being run: it takes effect once merged.</summary>
public sealed record GateChange
{
    /// <summary>What the setting belongs to: <c>gate intent=* (2)</c>, <c>evaluator answer</c>, <c>judge</c>, <c>chat target</c>.</summary>
    public required string Subject { get; init; }

    /// <summary>The setting: <c>min_pass_rate</c>, <c>endpoint</c>, <c>prompt text</c> …</summary>
    public required string Setting { get; init; }

    /// <summary>Its value where the gates come from (the one in force); null when it is not set there.</summary>
    public string? Base { get; init; }

    /// <summary>Its value in the suite being run (in force after the merge); null when it is not set there.</summary>
    public string? Head { get; init; }
}
