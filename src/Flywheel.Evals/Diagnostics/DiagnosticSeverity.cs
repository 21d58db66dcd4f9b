namespace Flywheel.Evals.Diagnostics;

/// <summary>Whether a diagnostic stops the run (error) or is only shown (warning).</summary>
public enum DiagnosticSeverity
{
    /// <summary>The input is wrong; the command exits 2.</summary>
    Error,

    /// <summary>Worth a look; does not change the exit code.</summary>
    Warning,
}
