namespace Flywheel.Evals.Reports;

/// <summary>
/// How much one rendering of the Markdown report shows: rows per section, characters per cell, which sections stay.
/// A report that does not fit its budget is rendered again one step down <see cref="Ladder"/>, never cut.
/// </summary>
/// <param name="FailedGates">Rows of the failed-gates table.</param>
/// <param name="FirstRows">Failing row ids named per failed gate.</param>
/// <param name="Regressions">Rows of the regressions table.</param>
/// <param name="Cohorts">Rows of the cohort table (the failing cohorts and <c>*</c> first).</param>
/// <param name="Unstable">Rows of the unstable-verdicts table.</param>
/// <param name="FailingRows">Rows of the failing-rows table.</param>
/// <param name="EveryGate">Items of the every-gate list.</param>
/// <param name="Pending">Row ids awaiting review.</param>
/// <param name="Errors">Lines of input errors.</param>
/// <param name="Cell">Characters of a text cell (reasons, messages).</param>
/// <param name="Code">Characters of a code span (ids, cohorts, tags).</param>
/// <param name="GateNames">Failed gates named at the top.</param>
/// <param name="Meta">Whether the counts line names datasets, commit and baseline.</param>
/// <param name="Provenance">Whether the run-details section is shown.</param>
internal sealed record MarkdownDetail(
    int FailedGates,
    int FirstRows,
    int Regressions,
    int Cohorts,
    int Unstable,
    int FailingRows,
    int EveryGate,
    int Pending,
    int Errors,
    int Cell,
    int Code,
    int GateNames,
    bool Meta,
    bool Provenance)
{
    /// <summary>From the most detail (what a 1 MiB job summary can hold) to the least (verdict, counts, failed gates).</summary>
    public static IReadOnlyList<MarkdownDetail> Ladder { get; } =
    [
        new(500, 3, 1000, 1000, 200, 2000, 1000, 200, 200, 300, 160, 20, true, true),
        new(300, 3, 700, 700, 150, 1400, 700, 150, 150, 260, 140, 20, true, true),
        new(200, 3, 500, 500, 100, 1000, 500, 100, 100, 240, 120, 20, true, true),
        new(150, 3, 350, 350, 80, 700, 350, 80, 80, 220, 120, 20, true, true),
        new(100, 3, 250, 250, 60, 500, 250, 60, 60, 200, 100, 20, true, true),
        new(80, 3, 180, 180, 50, 350, 180, 50, 50, 180, 100, 20, true, true),
        new(60, 3, 130, 130, 40, 250, 130, 40, 40, 160, 80, 20, true, true),
        new(50, 3, 100, 100, 30, 180, 100, 30, 30, 160, 80, 20, true, true),
        new(40, 2, 70, 80, 25, 120, 80, 25, 25, 140, 80, 20, true, true),
        new(30, 2, 50, 60, 20, 80, 60, 20, 20, 120, 80, 20, true, true),
        new(25, 2, 40, 50, 15, 50, 40, 15, 15, 100, 60, 20, true, true),
        new(20, 2, 30, 40, 10, 30, 30, 10, 10, 100, 60, 20, true, true),
        new(15, 1, 20, 25, 5, 20, 0, 5, 10, 80, 60, 20, true, true),
        new(10, 1, 10, 15, 0, 0, 0, 0, 5, 60, 50, 20, true, false),
        new(5, 0, 5, 0, 0, 0, 0, 0, 3, 50, 40, 20, true, false),
        new(0, 0, 0, 0, 0, 0, 0, 0, 0, 40, 40, 20, true, false),
        new(0, 0, 0, 0, 0, 0, 0, 0, 0, 30, 30, 5, false, false),
    ];
}
