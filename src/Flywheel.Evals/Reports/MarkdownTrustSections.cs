using System.Globalization;
using System.Text;
using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Reports;

/// <summary>The Markdown report's sections about what a change does to its own gate: trusted settings it changes, and baseline rows it removes.</summary>
internal static class MarkdownTrustSections
{
    /// <summary>Heading of the list of trusted settings a pull request changes (the gates of its base judge it).</summary>
    public const string GateChangesHeading = "Gate changes in this pull request (they take effect after merge)";

    private const int MaxRowsListed = 50;

    /// <summary>Each trusted setting the run's suite changes, old → new, when its gates came from another revision.</summary>
    public static void AppendGateChanges(StringBuilder md, Run run)
    {
        if (run.GateChanges is not { Count: > 0 } changes)
        {
            return;
        }

        md.AppendLine($"### {GateChangesHeading}");
        md.AppendLine();
        md.AppendLine($"This run was judged by the gates, evaluators, judge and endpoints at `{MarkdownText.Text(run.GatesFrom ?? "the base", 200)}`; these {changes.Count} change(s) apply once merged.");
        md.AppendLine();
        md.AppendLine("| setting | in force (base) | after merge |");
        md.AppendLine("| --- | --- | --- |");
        foreach (var change in changes.Take(MaxRowsListed))
        {
            md.AppendLine($"| {MarkdownText.Text(change.Subject, 120)} · {MarkdownText.Text(change.Setting, 120)} | {Value(change.Base)} | {Value(change.Head)} |");
        }

        if (changes.Count > MaxRowsListed)
        {
            md.AppendLine();
            md.AppendLine($"… and {(changes.Count - MaxRowsListed).ToString(CultureInfo.InvariantCulture)} more (`gate_changes` in run.json)");
        }

        md.AppendLine();
    }

    /// <summary>The baseline's rows this run no longer has (removed by the change), so a reviewer sees what stopped being checked.</summary>
    public static void AppendRowsRemoved(StringBuilder md, Run run)
    {
        if (run.RowsRemoved is not { Count: > 0 } removed)
        {
            return;
        }

        md.AppendLine($"### Rows removed ({removed.Count.ToString(CultureInfo.InvariantCulture)}): in the baseline, not in this run");
        md.AppendLine();
        var listed = string.Join(", ", removed.Take(MaxRowsListed).Select(r => MarkdownText.Code(r, 120, inTable: false)));
        var more = removed.Count > MaxRowsListed ? $", and {(removed.Count - MaxRowsListed).ToString(CultureInfo.InvariantCulture)} more (`rows_removed` in run.json)" : string.Empty;
        md.AppendLine(listed + more);
        md.AppendLine();
    }

    private static string Value(string? value) => value is null ? "(not set)" : MarkdownText.Code(value, 200, inTable: true);
}
