namespace Flywheel.Evals.Diagnostics;

/// <summary>Thrown when input or configuration is wrong; carries every problem found so all are reported at once.</summary>
public sealed class FlywheelInputException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    public FlywheelInputException(IReadOnlyList<Diagnostic> diagnostics)
        : base(diagnostics.Count == 0 ? "invalid input" : diagnostics[0].ToString())
    {
        Diagnostics = diagnostics;
    }

    /// <summary>Creates the exception from a single problem.</summary>
    public FlywheelInputException(Diagnostic diagnostic)
        : this([diagnostic])
    {
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }
}
