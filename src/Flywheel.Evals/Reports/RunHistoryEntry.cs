using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Reports;

/// <summary>One earlier run of a history folder: its name on the chart and its run without rows.</summary>
/// <param name="Label">The file name without its extension (e.g. <c>v1.4.0</c>), shown on the trend's axis.</param>
/// <param name="Path">The file as given on the command line (for messages).</param>
/// <param name="Run">The run's verdict, cohorts, gates and provenance; its rows are not read.</param>
/// <param name="RowCount">How many rows the run had.</param>
public sealed record RunHistoryEntry(string Label, string Path, Run Run, int RowCount);
