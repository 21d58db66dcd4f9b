namespace Flywheel.Evals.Suites;

/// <summary>A gate: a rule over cohorts (minimum pass rate, minimum rows, maximum drop against the baseline).</summary>
public sealed record GateConfig
{
    /// <summary>The cohort selector: <c>*</c>, <c>key=value</c> or <c>key=*</c>.</summary>
    public required string Cohort { get; init; }

    /// <summary><c>*</c> (the row-level pass) or an evaluator's name.</summary>
    public string Evaluator { get; init; } = "*";

    /// <summary>The pass rate the cohort must reach.</summary>
    public double? MinPassRate { get; init; }

    /// <summary>Fewer rows than this make the cohort insufficient.</summary>
    public int MinRows { get; init; } = 1;

    /// <summary>The largest allowed fall of the pass rate against the baseline (0.02 = two points).</summary>
    public double? MaxDrop { get; init; }

    /// <summary>The most rows of the baseline's cohort that may be missing from this run (removed by the change); null for no limit.</summary>
    public int? MaxRowsRemoved { get; init; }

    /// <summary>True when an insufficient cohort only warns.</summary>
    public bool WarnOnInsufficient { get; init; }

    /// <summary>The gate's position in the suite (0-based).</summary>
    public int Index { get; init; }

    /// <summary>Where the gate is declared in the suite file.</summary>
    public int Line { get; init; }

    /// <summary>The column of the declaration.</summary>
    public int Column { get; init; }
}
