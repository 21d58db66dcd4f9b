namespace Flywheel.Evals.Runs;

/// <summary>The values of a run's verdict and the exit code each maps to.</summary>
public static class Verdicts
{
    /// <summary>Every gate passed: exit 0.</summary>
    public const string Passed = "passed";
    /// <summary>A gate failed: exit 1.</summary>
    public const string Failed = "failed";
    /// <summary>The input was wrong or something could not be decided: exit 2.</summary>
    public const string Error = "error";

    /// <summary>The process exit code of a verdict.</summary>
    public static int ExitCode(string verdict) => verdict switch
    {
        Passed => 0,
        Failed => 1,
        _ => 2,
    };
}
