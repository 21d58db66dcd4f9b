using System.Text;
using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Reports;

/// <summary>The terminal report: the cohort table, each gate's verdict with the first failing rows, the regressions. Text from rows and models is printed one line each, its control characters shown, never obeyed (see <see cref="PrintableText"/>).</summary>
public sealed class ConsoleReport : IRunReport
{
    private const int FailingRowsPerGate = 3;

    // Reasons are cut before they are cleaned: a 100 KB answer is not scanned to print 160 characters of it.
    private const int WhyChars = 160;

    /// <inheritdoc />
    public string Format => "console";

    /// <inheritdoc />
    public string? FileName => null;

    /// <inheritdoc />
    public async Task WriteAsync(Run run, TextWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(writer);
        var text = new StringBuilder();
        var datasets = string.Join(", ", run.Datasets.Select(d => $"{d.Name} {d.Version} ({d.Rows} rows)"));
        Line(text, $"Flywheel · {run.Config} · {datasets}");
        Line(text, $"responses {run.Responses}{(run.Baseline is null ? string.Empty : $" · baseline {run.Baseline}")}");
        AppendTrust(text, run);
        text.AppendLine();
        AppendTable(text, run);
        text.AppendLine();
        AppendGates(text, run, new FailingRowIndex(run));
        AppendModelCalls(text, run);
        AppendRegressions(text, run);
        AppendNotGating(text, run);
        text.AppendLine();
        Line(text, $"{ReportText.Headline(run)} Exit code {Verdicts.ExitCode(run.Verdict)}.");
        await writer.WriteAsync(text.ToString().AsMemory(), cancellationToken).ConfigureAwait(false);
    }

    private static void AppendTable(StringBuilder text, Run run)
    {
        var table = CohortTable.Of(run);
        var header = new List<string> { "cohort", "rows", "pass rate", "95% CI" };
        header.AddRange(table.Evaluators.Select(PrintableText.Line));
        var hasBaseline = run.Baseline is not null;
        if (hasBaseline)
        {
            header.Add("baseline");
            header.Add("Δ");
        }

        var lines = new List<List<string>> { header };
        foreach (var line in table.Lines)
        {
            var cells = new List<string>
            {
                (line.FailedGate ? "✗ " : "  ") + PrintableText.Line(line.Overall.Cohort),
                line.Overall.Rows.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ReportText.Percent(line.Overall.PassRate),
                ReportText.Interval(line.Overall.Ci95),
            };
            cells.AddRange(table.Evaluators.Select(e => line.ByEvaluator[e] is { } c ? ReportText.Percent(c.PassRate) : "–"));
            if (hasBaseline)
            {
                cells.Add(ReportText.Percent(line.Overall.BaselinePassRate));
                cells.Add(ReportText.Delta(line.Overall.Delta));
            }

            lines.Add(cells);
        }

        var widths = Enumerable.Range(0, header.Count).Select(i => lines.Max(l => l[i].Length)).ToArray();
        for (var index = 0; index < lines.Count; index++)
        {
            var cells = lines[index];
            var row = string.Join("  ", cells.Select((cell, i) => i == 0 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i])));
            text.AppendLine(row.TrimEnd());
            if (index == 0)
            {
                text.AppendLine(new string('─', widths.Sum() + (2 * (widths.Length - 1))));
            }
        }
    }

    private static void AppendGates(StringBuilder text, Run run, FailingRowIndex failing)
    {
        // A run that could not decide (exit 2) scored only part of its rows: no gate of it passed or failed, whatever
        // the figures so far say.
        var undecided = run.Verdict is not (Verdicts.Passed or Verdicts.Failed);
        text.AppendLine(undecided ? "Gates (not decided: the run has errors; figures so far)" : "Gates");
        foreach (var gate in run.Gates)
        {
            var (mark, status) = gate.Status switch
            {
                GateStatuses.Skipped => ("–", gate.Status),
                _ when undecided => ("?", "undecided"),
                GateStatuses.Passed => ("✓", gate.Status),
                _ when !gate.Blocking => ("!", gate.Status),
                _ => ("✗", gate.Status),
            };
            Line(text, $"  {mark} {status,-12} {gate.Message}");
            if (gate.Status is GateStatuses.Failed)
            {
                foreach (var row in failing.First(gate, FailingRowsPerGate))
                {
                    Line(text, $"      {row.Id}  {ReportText.Why(row, gate.Evaluator, WhyChars)}");
                }
            }
        }
    }

    private static void AppendTrust(StringBuilder text, Run run)
    {
        if (run.GatesFrom is { } source)
        {
            var changes = run.GateChanges ?? [];
            Line(text, $"gates, evaluators, judge and endpoints from {source}{(changes.Count == 0 ? " (this suite changes none of them)" : $"; {changes.Count} change(s) take effect after merge:")}");
            foreach (var change in changes)
            {
                Line(text, $"  {change.Subject} · {change.Setting}: {change.Base ?? "(not set)"} -> {change.Head ?? "(not set)"}");
            }
        }

        if (run.RowsRemoved is { Count: > 0 } removed)
        {
            Line(text, $"rows removed since the baseline: {removed.Count} ({string.Join(", ", removed.Take(10))}{(removed.Count > 10 ? ", …" : string.Empty)})");
        }
    }

    private static void AppendModelCalls(StringBuilder text, Run run)
    {
        var lines = ReportText.ModelCalls(run);
        if (lines.Count == 0)
        {
            return;
        }

        text.AppendLine();
        text.AppendLine("Model calls");
        foreach (var line in lines)
        {
            Line(text, $"  {line}");
        }

        foreach (var unstable in (run.Unstable ?? []).Take(20))
        {
            Line(text, $"  unstable {unstable.Dataset}/{unstable.Id} · {unstable.Evaluator}: votes {string.Join(", ", unstable.Votes)}");
        }

        if (run.Unstable is { Count: > 20 } more)
        {
            text.AppendLine($"  … and {more.Count - 20} more unstable (see run.json)");
        }
    }

    private static void AppendRegressions(StringBuilder text, Run run)
    {
        if (run.Baseline is null)
        {
            return;
        }

        text.AppendLine();
        text.AppendLine(run.Regressions.Count == 0 ? "No regressions: no row that passed on the baseline fails now." : $"Regressions: {run.Regressions.Count} row/evaluator pair(s) passed on the baseline and fail now");
        foreach (var regression in run.Regressions.Take(20))
        {
            Line(text, $"  {regression.Dataset}/{regression.Id} · {regression.Evaluator}: {PrintableText.Shorten(regression.Reason ?? string.Empty, WhyChars)}");
        }

        if (run.Regressions.Count > 20)
        {
            text.AppendLine($"  … and {run.Regressions.Count - 20} more (see run.json)");
        }
    }

    private static void AppendNotGating(StringBuilder text, Run run)
    {
        var waiting = run.Rows.NotPassing.Where(r => r.Review != Datasets.ReviewStatuses.Approved).ToList();
        if (waiting.Count == 0)
        {
            return;
        }

        text.AppendLine();
        var more = waiting.Count > 20 ? $", … and {waiting.Count - 20} more (see run.json)" : string.Empty;
        Line(text, $"Awaiting review, not gating, not passing: {string.Join(", ", waiting.Take(20).Select(r => $"{r.Id} [{r.Review}]"))}{more}");
    }

    /// <summary>Appends one line of output; any line break or control character in it (from a row, a suite or a model) is shown, not obeyed.</summary>
    private static void Line(StringBuilder text, string line) => text.AppendLine(PrintableText.Line(line));
}
