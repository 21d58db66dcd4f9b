namespace Flywheel.Evals.Reports;

/// <summary>
/// How many bytes of the HTML report failing rows may take: in full (expandable), then as one-line entries.
/// Whatever does not fit is counted on the page and left to run.json, which keeps every failing row in full.
/// </summary>
/// <param name="FullBytes">Bytes for failing rows shown in full, in order (regressions first).</param>
/// <param name="ListBytes">Bytes for the one-line entries of the failing rows after those.</param>
internal sealed record HtmlBudget(long FullBytes, long ListBytes)
{
    /// <summary>Keeps a page with thousands of failures under 5 MB with room for its cohort table and trend.</summary>
    public static HtmlBudget Default { get; } = new(3_000_000, 1_300_000);
}
