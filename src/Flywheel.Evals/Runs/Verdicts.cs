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

    /// <summary>The verdict a run's parts give: any error makes it <c>error</c>, else any blocking gate <c>failed</c>, else <c>passed</c>.</summary>
    /// <remarks>
    /// The engine decides with it and <c>flywheel report</c> checks a run file's verdict with it, so the two cannot drift.
    /// Undecided scores count through their errors: a pending row's missing response is undecided but only a warning.
    /// </remarks>
    public static string Decide(int errors, IEnumerable<GateResult> gates) =>
        errors > 0 ? Error
        : gates.Any(g => g.Blocking) ? Failed
        : Passed;

    /// <summary>The process exit code of a verdict.</summary>
    public static int ExitCode(string verdict) => verdict switch
    {
        Passed => 0,
        Failed => 1,
        _ => 2,
    };
}
