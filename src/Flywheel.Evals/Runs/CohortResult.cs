namespace Flywheel.Evals.Runs;

/// <summary>The aggregate of one cohort for one evaluator (or <c>*</c>, the row-level pass).</summary>
public sealed record CohortResult
{
    /// <summary>The cohort name: <c>*</c> or <c>key=value</c>.</summary>
    public required string Cohort { get; init; }

    /// <summary><c>*</c> or an evaluator name.</summary>
    public required string Evaluator { get; init; }

    /// <summary>Gating rows in the cohort (that the evaluator applies to).</summary>
    public int Rows { get; init; }

    /// <summary>Rows that passed.</summary>
    public int Passed { get; init; }

    /// <summary>Rows that could not be decided (counted as not passed).</summary>
    public int Errors { get; init; }

    /// <summary>Passed / rows; null when the cohort is empty.</summary>
    public double? PassRate { get; init; }

    /// <summary>95% Wilson score interval of the pass rate.</summary>
    public IReadOnlyList<double>? Ci95 { get; init; }

    /// <summary>The baseline's row count for the same cohort.</summary>
    public int? BaselineRows { get; init; }

    /// <summary>The baseline's pass rate for the same cohort.</summary>
    public double? BaselinePassRate { get; init; }

    /// <summary>PassRate - BaselinePassRate.</summary>
    public double? Delta { get; init; }
}
