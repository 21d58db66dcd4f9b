namespace Flywheel.Build.Tasks;

/// <summary>The codes the MSBuild surface adds to the engine's (see the README's FW code table); the .targets files use the same values.</summary>
public static class BuildDiagnosticCodes
{
    /// <summary>A gate failed: its cohort's pass rate is below the minimum or fell more than the allowed drop.</summary>
    public const string GateFailed = "FW7001";

    /// <summary>A gate's cohort has fewer rows than the gate needs (an error unless the gate or FlywheelFailOnInsufficient says warn).</summary>
    public const string Insufficient = "FW7002";

    /// <summary>A row that passed on the baseline fails now (a warning on its line of rows.jsonl).</summary>
    public const string Regression = "FW7003";

    /// <summary>The MSBuild running the build cannot load the .NET 10 tasks (emitted by the .targets).</summary>
    public const string UnsupportedMSBuild = "FW7004";

    /// <summary>The build was cancelled while the task ran.</summary>
    public const string Cancelled = "FW7005";

    /// <summary>FlywheelGate was asked for but the project declares no FlywheelSuite item (emitted by the .targets).</summary>
    public const string NoSuite = "FW7006";
}
