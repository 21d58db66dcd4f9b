namespace Flywheel.Testing.Fuzz;

/// <summary>The flywheel command a fuzzed case runs over its mutated input.</summary>
public enum FuzzCommand
{
    /// <summary><c>validate</c> on the suite.</summary>
    Validate,

    /// <summary><c>gate</c> on the suite, every format into --out.</summary>
    Gate,

    /// <summary><c>gate --baseline</c> the mutated run.json.</summary>
    GateWithBaseline,

    /// <summary><c>report</c> the mutated run.json.</summary>
    Report,

    /// <summary><c>report</c> the sample's run with the mutated run.json as --baseline.</summary>
    ReportWithBaseline,

    /// <summary><c>report --format html --history</c> a folder holding the mutated run.json.</summary>
    ReportWithHistory,
}
