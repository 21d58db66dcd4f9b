namespace Flywheel.Evals.Runs;

/// <summary>A gate's outcome for one cohort.</summary>
public sealed record GateResult
{
    /// <summary>The gate's index in the suite.</summary>
    public int Gate { get; init; }

    /// <summary>The line of the gate in the suite file.</summary>
    public int? Line { get; init; }

    /// <summary>The cohort the verdict is about.</summary>
    public required string Cohort { get; init; }

    /// <summary><c>*</c> or an evaluator name.</summary>
    public required string Evaluator { get; init; }

    /// <summary>passed, failed, insufficient or skipped.</summary>
    public required string Status { get; init; }

    /// <summary>True when this outcome fails the run.</summary>
    public bool Blocking { get; init; }

    /// <summary>Rows in the cohort.</summary>
    public int Rows { get; init; }

    /// <summary>The cohort's pass rate.</summary>
    public double? PassRate { get; init; }

    /// <summary>The gate's minimum pass rate.</summary>
    public double? MinPassRate { get; init; }

    /// <summary>The gate's minimum rows.</summary>
    public int MinRows { get; init; }

    /// <summary>The gate's maximum drop against the baseline.</summary>
    public double? MaxDrop { get; init; }

    /// <summary>The gate's maximum of removed baseline rows.</summary>
    public int? MaxRowsRemoved { get; init; }

    /// <summary>How many of the baseline's rows in this cohort are gone from the run; null when not counted.</summary>
    public int? RowsRemoved { get; init; }

    /// <summary>The baseline pass rate, when a baseline was given.</summary>
    public double? BaselinePassRate { get; init; }

    /// <summary>The verdict in one sentence.</summary>
    public required string Message { get; init; }
}
