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

    /// <summary>The verdict a run's parts give: any error or undecided score makes it <c>error</c>, else any blocking gate <c>failed</c>, else <c>passed</c>.</summary>
    /// <remarks>The engine decides with it and <c>flywheel report</c> checks a run file's verdict with it, so the two cannot drift.</remarks>
    public static string Decide(int errors, int undecidedScores, IEnumerable<GateResult> gates) =>
        errors > 0 || undecidedScores > 0 ? Error
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
