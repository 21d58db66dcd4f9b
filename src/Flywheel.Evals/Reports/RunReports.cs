namespace Flywheel.Evals.Reports;

/// <summary>The report formats by name.</summary>
public static class RunReports
{
    /// <summary>Every format the command line accepts.</summary>
    public static IReadOnlyList<IRunReport> All { get; } = [new ConsoleReport(), new MarkdownReport(), new RunJson(), new JUnitReport(), new HtmlReport()];

    /// <summary>The report for a format name, or null.</summary>
    public static IRunReport? Find(string format) => All.FirstOrDefault(r => string.Equals(r.Format, format, StringComparison.OrdinalIgnoreCase));
}
