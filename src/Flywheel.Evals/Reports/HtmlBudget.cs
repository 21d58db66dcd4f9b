namespace Flywheel.Evals.Reports;

/// <summary>
/// How large the HTML report may grow. The verdict, gates, cohort table, trend and provenance are always written in
/// full; failing rows get what is left: shown in full (expandable) in order, regressions first, while one-line entries
/// for the rows after them still fit, then one line each, then only counted. run.json keeps every failing row in full.
/// </summary>
/// <param name="PageBytes">The most the whole page may take, in UTF-8 bytes.</param>
/// <param name="ListShare">The largest share of the failing rows' allowance kept for one-line entries (0–1).</param>
internal sealed record HtmlBudget(long PageBytes, double ListShare)
{
    /// <summary>Under 5 MB (5,000,000 bytes) with room for the section notes.</summary>
    public static HtmlBudget Default { get; } = new(4_850_000, 0.45);
}
