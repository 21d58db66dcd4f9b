namespace Flywheel.Evals.Runs;

/// <summary>The values of a gate result's status.</summary>
public static class GateStatuses
{
    /// <summary>The cohort met the gate.</summary>
    public const string Passed = "passed";
    /// <summary>The cohort missed the gate.</summary>
    public const string Failed = "failed";
    /// <summary>The cohort has fewer rows than the gate needs.</summary>
    public const string Insufficient = "insufficient";
    /// <summary>The gate could not be evaluated (max_drop without a baseline) and does not block.</summary>
    public const string Skipped = "skipped";
}
