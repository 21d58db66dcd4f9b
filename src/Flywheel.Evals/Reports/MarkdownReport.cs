using System.Globalization;
using System.Text;
using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Reports;

/// <summary>The pull-request comment and job summary: verdict first, failing gates, the cohort table with deltas, regressions, details folded.</summary>
public sealed class MarkdownReport : IRunReport
{
    /// <summary>The hidden marker that finds the sticky comment again.</summary>
    public const string Marker = "<!-- flywheel-report -->";

    private const int MaxListed = 50;

    /// <inheritdoc />
    public string Format => "md";

    /// <inheritdoc />
    public string? FileName => "report.md";

    /// <inheritdoc />
    public async Task WriteAsync(Run run, TextWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        await writer.WriteAsync(Render(run).AsMemory(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Renders the report as one string.</summary>
    public static string Render(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var md = new StringBuilder();
        md.AppendLine(Marker);
        var icon = run.Verdict switch { Verdicts.Passed => "✅", Verdicts.Failed => "❌", _ => "⚠️" };
        md.AppendLine($"## {icon} {Escape(ReportText.Headline(run))}");
        md.AppendLine();
        var datasets = string.Join(", ", run.Datasets.Select(d => $"`{d.Name}` {d.Version}"));
        var commit = run.Commit is null ? string.Empty : $" · commit `{Short(run.Commit)}`";
        var baseline = run.Baseline is null ? " · no baseline" : $" · baseline `{run.Baseline}`";
        md.AppendLine($"{run.Rows.Count} rows · {datasets}{commit}{baseline}");
        md.AppendLine();

        if (run.Errors.Count > 0)
        {
            md.AppendLine("### Input errors");
            md.AppendLine();
            md.AppendLine("```");
            foreach (var error in run.Errors.Take(MaxListed))
            {
                md.AppendLine(error);
            }

            md.AppendLine("```");
            md.AppendLine();
        }

        var failed = run.Gates.Where(g => g.Status is GateStatuses.Failed or GateStatuses.Insufficient).ToList();
        if (failed.Count > 0)
        {
            md.AppendLine("### Failed gates");
            md.AppendLine();
            md.AppendLine("| cohort | evaluator | pass rate | required | rows | why | first failing rows |");
            md.AppendLine("| --- | --- | ---: | ---: | ---: | --- | --- |");
            foreach (var gate in failed)
            {
                var required = gate.MinPassRate is { } min ? $"≥ {ReportText.Percent(min)}" : gate.MaxDrop is { } drop ? $"drop ≤ {(drop * 100).ToString("0.0", CultureInfo.InvariantCulture)} pt" : "–";
                var rows = string.Join(", ", ReportText.FailingRows(run, gate, 3).Select(r => $"`{r.Id}`"));
                var blocking = gate.Blocking ? string.Empty : " (warning)";
                md.AppendLine($"| `{Escape(gate.Cohort)}` | {Escape(gate.Evaluator)} | {ReportText.Percent(gate.PassRate)} | {required} | {gate.Rows} | {Escape(gate.Message)}{blocking} | {rows} |");
            }

            md.AppendLine();
        }

        MarkdownTrustSections.AppendGateChanges(md, run);
        MarkdownTrustSections.AppendRowsRemoved(md, run);
        AppendCohorts(md, run);
        AppendRegressions(md, run);
        AppendUnstable(md, run);
        AppendFailures(md, run);
        AppendGates(md, run);
        AppendProvenance(md, run);
        return md.ToString();
    }

    private static void AppendCohorts(StringBuilder md, Run run)
    {
        var table = CohortTable.Of(run);
        var hasBaseline = run.Baseline is not null;
        md.AppendLine("### Cohorts");
        md.AppendLine();
        var header = new StringBuilder("| cohort | rows | pass rate | 95% CI |");
        var align = new StringBuilder("| --- | ---: | ---: | ---: |");
        foreach (var evaluator in table.Evaluators)
        {
            header.Append($" {Escape(evaluator)} |");
            align.Append(" ---: |");
        }

        if (hasBaseline)
        {
            header.Append(" baseline | Δ |");
            align.Append(" ---: | ---: |");
        }

        md.AppendLine(header.ToString());
        md.AppendLine(align.ToString());
        foreach (var line in table.Lines)
        {
            var mark = line.FailedGate ? "❌ " : string.Empty;
            var rate = line.FailedGate ? $"**{ReportText.Percent(line.Overall.PassRate)}**" : ReportText.Percent(line.Overall.PassRate);
            var row = new StringBuilder($"| {mark}`{Escape(line.Overall.Cohort)}` | {line.Overall.Rows} | {rate} | {ReportText.Interval(line.Overall.Ci95)} |");
            foreach (var evaluator in table.Evaluators)
            {
                row.Append($" {(line.ByEvaluator[evaluator] is { } c ? ReportText.Percent(c.PassRate) : "–")} |");
            }

            if (hasBaseline)
            {
                row.Append($" {ReportText.Percent(line.Overall.BaselinePassRate)} | {ReportText.Delta(line.Overall.Delta)} |");
            }

            md.AppendLine(row.ToString());
        }

        md.AppendLine();
    }

    private static void AppendRegressions(StringBuilder md, Run run)
    {
        if (run.Baseline is null)
        {
            return;
        }

        if (run.Regressions.Count == 0)
        {
            md.AppendLine("**No regressions:** no row that passed on the baseline fails now.");
            md.AppendLine();
            return;
        }

        md.AppendLine($"### Regressions ({run.Regressions.Count}): passed on the baseline, fail now");
        md.AppendLine();
        md.AppendLine("| row | evaluator | reason |");
        md.AppendLine("| --- | --- | --- |");
        foreach (var regression in run.Regressions.Take(MaxListed))
        {
            md.AppendLine($"| `{Escape(regression.Dataset)}/{Escape(regression.Id)}` | {Escape(regression.Evaluator)} | {Escape(Trim(regression.Reason))} |");
        }

        if (run.Regressions.Count > MaxListed)
        {
            md.AppendLine($"| … | | {run.Regressions.Count - MaxListed} more in run.json |");
        }

        md.AppendLine();
    }

    private static void AppendFailures(StringBuilder md, Run run)
    {
        var failing = run.Rows.NotPassing.Where(r => r.Gates).ToList();
        if (failing.Count == 0)
        {
            return;
        }

        md.AppendLine($"<details><summary>All failing rows ({failing.Count})</summary>");
        md.AppendLine();
        md.AppendLine("| row | tags | why |");
        md.AppendLine("| --- | --- | --- |");
        foreach (var row in failing.Take(MaxListed * 4))
        {
            var tags = string.Join(" ", row.Tags.Select(t => $"`{Escape(t.Key)}={Escape(t.Value)}`"));
            md.AppendLine($"| `{Escape(row.Dataset)}/{Escape(row.Id)}` | {tags} | {Escape(Trim(ReportText.Why(row)))} |");
        }

        if (failing.Count > MaxListed * 4)
        {
            md.AppendLine($"| … | | {failing.Count - (MaxListed * 4)} more in run.json |");
        }

        md.AppendLine();
        md.AppendLine("</details>");
        md.AppendLine();
    }

    private static void AppendUnstable(StringBuilder md, Run run)
    {
        if (run.Unstable is not { Count: > 0 } unstable)
        {
            return;
        }

        md.AppendLine($"<details><summary>Unstable judge verdicts ({unstable.Count}): the judge disagreed with itself</summary>");
        md.AppendLine();
        md.AppendLine("| row | evaluator | outcome | votes |");
        md.AppendLine("| --- | --- | --- | --- |");
        foreach (var score in unstable.Take(MaxListed))
        {
            var outcome = score.Passed switch { true => "passed", false => "failed", _ => "undecided" };
            md.AppendLine($"| `{Escape(score.Dataset)}/{Escape(score.Id)}` | {Escape(score.Evaluator)} | {outcome} | {string.Join(", ", score.Votes)} |");
        }

        md.AppendLine();
        md.AppendLine("</details>");
        md.AppendLine();
    }

    private static void AppendGates(StringBuilder md, Run run)
    {
        md.AppendLine($"<details><summary>Every gate ({run.Gates.Count})</summary>");
        md.AppendLine();
        foreach (var gate in run.Gates)
        {
            var mark = gate.Status switch { GateStatuses.Passed => "✅", GateStatuses.Skipped => "➖", _ when !gate.Blocking => "⚠️", _ => "❌" };
            md.AppendLine($"- {mark} {Escape(gate.Message)}");
        }

        var pending = run.Rows.NotPassing.Where(r => r.Review != Datasets.ReviewStatuses.Approved).ToList();
        if (pending.Count > 0)
        {
            md.AppendLine();
            md.AppendLine($"Rows awaiting review (shown, not gating): {string.Join(", ", pending.Select(r => $"`{Escape(r.Id)}` ({r.Review}{(r.Passed == false ? ", failing" : string.Empty)})"))}");
        }

        md.AppendLine();
        md.AppendLine("</details>");
        md.AppendLine();
    }

    private static void AppendProvenance(StringBuilder md, Run run)
    {
        md.AppendLine("<details><summary>Run details</summary>");
        md.AppendLine();
        md.AppendLine($"- suite `{run.Config}` (sha256 `{Short(run.ConfigSha256 ?? string.Empty, 12)}`), responses `{run.Responses}`");
        foreach (var dataset in run.Datasets)
        {
            md.AppendLine($"- dataset `{dataset.Name}` {dataset.Version}, {dataset.Rows} rows{(dataset.Commit is null ? string.Empty : $", at `{Short(dataset.Commit)}`")}");
        }

        if (run.Models.Count > 0)
        {
            md.AppendLine($"- models: {string.Join(", ", run.Models.Select(m => $"`{m}`"))}");
        }

        foreach (var line in ReportText.ModelCalls(run))
        {
            md.AppendLine($"- model calls: {Escape(line)}");
        }

        md.AppendLine($"- started {run.StartedAt}, took {run.DurationMs} ms");
        md.AppendLine();
        md.AppendLine("</details>");
    }

    private static string Short(string sha, int length = 8) => sha.Length <= length ? sha : sha[..length] + (sha.EndsWith("+dirty", StringComparison.Ordinal) ? "+dirty" : string.Empty);

    private static string Trim(string? text) => Evaluators.GroundTruthMatchEvaluator.Trim(text ?? string.Empty, 200);

    /// <summary>Escapes text for a Markdown table cell.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("`", "'", StringComparison.Ordinal)
            .ReplaceLineEndings(" ");
    }
}
