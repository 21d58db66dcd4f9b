using System.Text;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Reports;

/// <summary>
/// Renders one run as Markdown at a chosen <see cref="MarkdownDetail"/>. What every rendering needs (the failing rows
/// and their reasons, the cohort table, the failing rows per gate) is worked out once, so trying several levels of
/// detail costs little. The verdict, the counts and the failed gates always open the document; each section is whole
/// (a table, a closed <c>&lt;details&gt;</c>) and says how much of its list it shows.
/// </summary>
internal sealed class MarkdownRunDocument
{
    private const string FullList = "in run.json";

    // Long enough for the longest cell of the most detailed rendering: shortening again per level is cheap, reading
    // a 100 KB answer again per level is not.
    private const int WhyChars = 400;

    private const int TagsPerRow = 8;

    private readonly Run _run;
    private readonly List<GateResult> _failed;
    private readonly IReadOnlyList<string> _labels;
    private readonly CohortTable _table;
    private readonly List<(RunRow Row, string Why)> _failing;
    private readonly List<RunRow> _pending;
    private readonly FailingRowIndex _index;
    private readonly Dictionary<GateResult, IReadOnlyList<RunRow>> _firstRows = new(ReferenceEqualityComparer.Instance);

    public MarkdownRunDocument(Run run)
    {
        _run = run;
        _failed = run.Gates.Where(g => g.Status is GateStatuses.Failed or GateStatuses.Insufficient).ToList();
        _labels = ReportText.FailedGateLabels(run);
        _table = CohortTable.Of(run);
        _failing = run.Rows.NotPassing.Where(r => r.Gates).Select(r => (r, ReportText.Why(r, "*", WhyChars))).ToList();
        _pending = run.Rows.NotPassing.Where(r => r.Review != ReviewStatuses.Approved).ToList();
        _index = new FailingRowIndex(run);
    }

    /// <summary>The document at <paramref name="detail"/>.</summary>
    public string Render(MarkdownDetail detail)
    {
        var cuts = new List<string>();
        var body = new StringBuilder();
        AppendErrors(body, detail, cuts);
        AppendFailedGates(body, detail, cuts);
        MarkdownTrustSections.AppendGateChanges(body, _run);
        MarkdownTrustSections.AppendRowsRemoved(body, _run);
        AppendRegressions(body, detail, cuts);
        AppendCohorts(body, detail, cuts);
        AppendUnstable(body, detail, cuts);
        AppendFailures(body, detail, cuts);
        AppendGates(body, detail, cuts);
        AppendProvenance(body, detail, cuts);

        var md = new StringBuilder(body.Length + 2048);
        AppendHead(md, detail);
        if (cuts.Count > 0)
        {
            md.Append("> **Shortened to fit:** ").AppendJoin("; ", cuts)
                .Append(". Every row, cohort and gate is in `run.json`; `flywheel report run.json --format html` renders them all (`report.html`).\n\n");
        }

        return md.Append(body).ToString();
    }

    private static string Code(string? text, MarkdownDetail detail, bool inTable = false) => MarkdownText.Code(text, detail.Code, inTable);

    private static string Cell(string? text, MarkdownDetail detail) => MarkdownText.Text(text, detail.Cell);

    private static string Count(long n) => ReportText.Count(n);

    private static string Of(int shown, int total, string what) => $"{Count(shown)} of {Count(total)} {what}";

    /// <summary>A last table row saying how many more there are, with as many cells as the header.</summary>
    private static string MoreRow(int columns, int more) =>
        "| … |" + string.Concat(Enumerable.Repeat(" |", columns - 2)) + $" {Count(more)} more {FullList} |\n";

    private void AppendHead(StringBuilder md, MarkdownDetail detail)
    {
        var run = _run;
        md.Append(MarkdownReport.Marker).Append('\n');
        var icon = run.Verdict switch { Verdicts.Passed => "✅", Verdicts.Failed => "❌", _ => "⚠️" };
        md.Append("## ").Append(icon).Append(' ').Append(ReportText.Verdict(run)).Append("\n\n");

        md.Append(Count(run.Rows.Count)).Append(" rows · ").Append(Count(_failing.Count)).Append(" failing");
        if (run.Baseline is not null)
        {
            md.Append(" · ").Append(Count(run.Regressions.Count)).Append(" regression(s)");
        }

        if (detail.Meta)
        {
            const int Datasets = 5;
            foreach (var dataset in run.Datasets.Take(Datasets))
            {
                md.Append(" · ").Append(Code(dataset.Name, detail)).Append(' ').Append(MarkdownText.Text(dataset.Version, 40));
            }

            if (run.Datasets.Count > Datasets)
            {
                md.Append(" · ").Append(Count(run.Datasets.Count - Datasets)).Append(" more dataset(s)");
            }

            if (run.Commit is not null)
            {
                md.Append(" · commit ").Append(Code(Short(run.Commit), detail));
            }

            md.Append(run.Baseline is null ? " · no baseline" : " · baseline " + Code(run.Baseline, detail));
        }

        md.Append("\n\n");
        if (_labels.Count > 0)
        {
            var named = _labels.Take(detail.GateNames).Select(l => Code(l, detail));
            md.Append("**Failing gates (").Append(Count(_labels.Count)).Append("):** ").AppendJoin(", ", named);
            if (_labels.Count > detail.GateNames)
            {
                md.Append(", … and ").Append(Count(_labels.Count - detail.GateNames)).Append(" more ").Append(FullList);
            }

            md.Append("\n\n");
        }
    }

    private void AppendErrors(StringBuilder md, MarkdownDetail detail, List<string> cuts)
    {
        var errors = _run.Errors;
        if (errors.Count == 0)
        {
            return;
        }

        var shown = Math.Min(detail.Errors, errors.Count);
        if (shown < errors.Count)
        {
            cuts.Add(Of(shown, errors.Count, "input errors"));
        }

        if (shown == 0)
        {
            return;
        }

        md.Append("### Input errors (").Append(Count(errors.Count)).Append(")\n\n");
        md.Append(MarkdownText.Block(errors.Take(shown), detail.Cell * 2));
        if (shown < errors.Count)
        {
            md.Append("\n… and ").Append(Count(errors.Count - shown)).Append(" more ").Append(FullList).Append('\n');
        }

        md.Append('\n');
    }

    private void AppendFailedGates(StringBuilder md, MarkdownDetail detail, List<string> cuts)
    {
        if (_failed.Count == 0)
        {
            return;
        }

        var shown = Math.Min(detail.FailedGates, _failed.Count);
        if (shown < _failed.Count)
        {
            cuts.Add(Of(shown, _failed.Count, "failed gates in the table"));
        }

        if (shown == 0)
        {
            return;
        }

        md.Append("### Failed gates (").Append(Count(_failed.Count)).Append(")\n\n");
        md.Append("| cohort | evaluator | pass rate | required | rows | why | first failing rows |\n");
        md.Append("| --- | --- | ---: | ---: | ---: | --- | --- |\n");
        foreach (var gate in _failed.Take(shown))
        {
            var rows = string.Join(", ", FirstRows(gate).Take(detail.FirstRows).Select(r => Code(r.Id, detail, inTable: true)));
            md.Append("| ").Append(Code(gate.Cohort, detail, inTable: true))
                .Append(" | ").Append(Code(gate.Evaluator, detail, inTable: true))
                .Append(" | ").Append(ReportText.Percent(gate.PassRate))
                .Append(" | ").Append(HtmlFormat.Requirement(gate))
                .Append(" | ").Append(Count(gate.Rows))
                .Append(" | ").Append(Cell(gate.Message, detail)).Append(gate.Blocking ? string.Empty : " (warning)")
                .Append(" | ").Append(rows).Append(" |\n");
        }

        if (shown < _failed.Count)
        {
            md.Append(MoreRow(7, _failed.Count - shown));
        }

        md.Append('\n');
    }

    private void AppendRegressions(StringBuilder md, MarkdownDetail detail, List<string> cuts)
    {
        var regressions = _run.Regressions;
        if (_run.Baseline is null)
        {
            return;
        }

        if (regressions.Count == 0)
        {
            md.Append("**No regressions:** no row that passed on the baseline fails now.\n\n");
            return;
        }

        var shown = Math.Min(detail.Regressions, regressions.Count);
        if (shown < regressions.Count)
        {
            cuts.Add(Of(shown, regressions.Count, "regressions"));
        }

        if (shown == 0)
        {
            return;
        }

        md.Append("### Regressions (").Append(Count(regressions.Count)).Append("): passed on the baseline, fail now\n\n");
        md.Append("| row | evaluator | reason |\n| --- | --- | --- |\n");
        foreach (var regression in regressions.Take(shown))
        {
            md.Append("| ").Append(Code($"{regression.Dataset}/{regression.Id}", detail, inTable: true))
                .Append(" | ").Append(Code(regression.Evaluator, detail, inTable: true))
                .Append(" | ").Append(Cell(regression.Reason, detail)).Append(" |\n");
        }

        if (shown < regressions.Count)
        {
            md.Append(MoreRow(3, regressions.Count - shown));
        }

        md.Append('\n');
    }

    private void AppendCohorts(StringBuilder md, MarkdownDetail detail, List<string> cuts)
    {
        var lines = _table.Lines;
        var shown = Math.Min(detail.Cohorts, lines.Count);
        if (shown < lines.Count)
        {
            cuts.Add(shown == 0 ? $"no cohort table ({Count(lines.Count)} cohorts)" : Of(shown, lines.Count, "cohorts"));
        }

        if (shown == 0)
        {
            return;
        }

        var hasBaseline = _run.Baseline is not null;
        md.Append("### Cohorts\n\n| cohort | rows | pass rate | 95% CI |");
        foreach (var evaluator in _table.Evaluators)
        {
            md.Append(' ').Append(Cell(evaluator, detail)).Append(" |");
        }

        md.Append(hasBaseline ? " baseline | Δ |\n" : "\n");
        md.Append("| --- | ---: | ---: | ---: |").Append(string.Concat(Enumerable.Repeat(" ---: |", _table.Evaluators.Count))).Append(hasBaseline ? " ---: | ---: |\n" : "\n");

        // The cohorts a gate failed on (and the whole run) come first when not all fit; the table keeps its order.
        var chosen = lines.Select((line, index) => (line, index))
            .OrderBy(x => x.line.FailedGate || x.line.Overall.Cohort == "*" ? 0 : 1)
            .ThenBy(x => x.index)
            .Take(shown)
            .OrderBy(x => x.index)
            .Select(x => x.line);
        foreach (var line in chosen)
        {
            var rate = ReportText.Percent(line.Overall.PassRate);
            md.Append("| ").Append(line.FailedGate ? "❌ " : string.Empty).Append(Code(line.Overall.Cohort, detail, inTable: true))
                .Append(" | ").Append(Count(line.Overall.Rows))
                .Append(" | ").Append(line.FailedGate ? $"**{rate}**" : rate)
                .Append(" | ").Append(ReportText.Interval(line.Overall.Ci95)).Append(" |");
            foreach (var evaluator in _table.Evaluators)
            {
                md.Append(' ').Append(line.ByEvaluator[evaluator] is { } c ? ReportText.Percent(c.PassRate) : "–").Append(" |");
            }

            if (hasBaseline)
            {
                md.Append(' ').Append(ReportText.Percent(line.Overall.BaselinePassRate)).Append(" | ").Append(ReportText.Delta(line.Overall.Delta)).Append(" |");
            }

            md.Append('\n');
        }

        if (shown < lines.Count)
        {
            md.Append(MoreRow(4 + _table.Evaluators.Count + (hasBaseline ? 2 : 0), lines.Count - shown));
        }

        md.Append('\n');
    }

    private void AppendUnstable(StringBuilder md, MarkdownDetail detail, List<string> cuts)
    {
        if (_run.Unstable is not { Count: > 0 } unstable)
        {
            return;
        }

        var shown = Math.Min(detail.Unstable, unstable.Count);
        if (shown < unstable.Count)
        {
            cuts.Add(Of(shown, unstable.Count, "unstable judge verdicts"));
        }

        if (shown == 0)
        {
            return;
        }

        md.Append("<details><summary>Unstable judge verdicts (").Append(Count(unstable.Count)).Append("): the judge disagreed with itself</summary>\n\n");
        md.Append("| row | evaluator | outcome | votes |\n| --- | --- | --- | --- |\n");
        foreach (var score in unstable.Take(shown))
        {
            var outcome = score.Passed switch { true => "passed", false => "failed", _ => "undecided" };
            md.Append("| ").Append(Code($"{score.Dataset}/{score.Id}", detail, inTable: true))
                .Append(" | ").Append(Code(score.Evaluator, detail, inTable: true))
                .Append(" | ").Append(outcome)
                .Append(" | ").Append(Cell(string.Join(", ", score.Votes), detail)).Append(" |\n");
        }

        if (shown < unstable.Count)
        {
            md.Append(MoreRow(4, unstable.Count - shown));
        }

        md.Append("\n</details>\n\n");
    }

    private void AppendFailures(StringBuilder md, MarkdownDetail detail, List<string> cuts)
    {
        if (_failing.Count == 0)
        {
            return;
        }

        var shown = Math.Min(detail.FailingRows, _failing.Count);
        if (shown < _failing.Count)
        {
            cuts.Add(Of(shown, _failing.Count, "failing rows"));
        }

        if (shown == 0)
        {
            return;
        }

        md.Append("<details><summary>")
            .Append(shown < _failing.Count ? $"Failing rows ({Of(shown, _failing.Count, "shown")})" : $"All failing rows ({Count(_failing.Count)})")
            .Append("</summary>\n\n| row | tags | why |\n| --- | --- | --- |\n");
        foreach (var (row, why) in _failing.Take(shown))
        {
            var tags = string.Join(" ", row.Tags.Take(TagsPerRow).Select(t => Code($"{t.Key}={t.Value}", detail, inTable: true)));
            if (row.Tags.Count > TagsPerRow)
            {
                tags += $" +{Count(row.Tags.Count - TagsPerRow)}";
            }

            md.Append("| ").Append(Code($"{row.Dataset}/{row.Id}", detail, inTable: true))
                .Append(" | ").Append(tags)
                .Append(" | ").Append(Cell(why, detail)).Append(" |\n");
        }

        if (shown < _failing.Count)
        {
            md.Append(MoreRow(3, _failing.Count - shown));
        }

        md.Append("\n</details>\n\n");
    }

    private void AppendGates(StringBuilder md, MarkdownDetail detail, List<string> cuts)
    {
        var gates = _run.Gates;
        var shown = Math.Min(detail.EveryGate, gates.Count);
        if (shown < gates.Count)
        {
            cuts.Add(shown == 0 ? $"no list of every gate ({Count(gates.Count)})" : Of(shown, gates.Count, "gates in the list of every gate"));
        }

        if (shown == 0)
        {
            if (_pending.Count > 0)
            {
                cuts.Add($"no list of the {Count(_pending.Count)} row(s) awaiting review");
            }

            return;
        }

        md.Append("<details><summary>Every gate (").Append(Count(gates.Count)).Append(")</summary>\n\n");
        foreach (var gate in gates.Take(shown))
        {
            var mark = gate.Status switch { GateStatuses.Passed => "✅", GateStatuses.Skipped => "➖", _ when !gate.Blocking => "⚠️", _ => "❌" };
            md.Append("- ").Append(mark).Append(' ').Append(Cell(gate.Message, detail)).Append('\n');
        }

        if (shown < gates.Count)
        {
            md.Append("- … and ").Append(Count(gates.Count - shown)).Append(" more ").Append(FullList).Append('\n');
        }

        if (_pending.Count > 0)
        {
            var named = Math.Min(detail.Pending, _pending.Count);
            if (named < _pending.Count)
            {
                cuts.Add(Of(named, _pending.Count, "rows awaiting review"));
            }

            md.Append("\nRows awaiting review (shown, not gating): ")
                .AppendJoin(", ", _pending.Take(named).Select(r => $"{Code(r.Id, detail)} ({Cell(r.Review, detail)}{(r.Passed == false ? ", failing" : string.Empty)})"));
            if (named < _pending.Count)
            {
                md.Append(named == 0 ? string.Empty : ", ").Append("… and ").Append(Count(_pending.Count - named)).Append(" more ").Append(FullList);
            }

            md.Append('\n');
        }

        md.Append("\n</details>\n\n");
    }

    private void AppendProvenance(StringBuilder md, MarkdownDetail detail, List<string> cuts)
    {
        var run = _run;
        if (!detail.Provenance)
        {
            cuts.Add("no run details");
            return;
        }

        const int Listed = 20;
        md.Append("<details><summary>Run details</summary>\n\n");
        md.Append("- suite ").Append(Code(run.Config, detail)).Append(" (sha256 ").Append(Code(Short(run.ConfigSha256 ?? string.Empty, 12), detail))
            .Append("), responses ").Append(Code(run.Responses, detail)).Append('\n');
        foreach (var dataset in run.Datasets.Take(Listed))
        {
            md.Append("- dataset ").Append(Code(dataset.Name, detail)).Append(' ').Append(MarkdownText.Text(dataset.Version, 40))
                .Append(", ").Append(Count(dataset.Rows)).Append(" rows")
                .Append(dataset.Commit is null ? string.Empty : ", at " + Code(Short(dataset.Commit), detail)).Append('\n');
        }

        if (run.Datasets.Count > Listed)
        {
            md.Append("- … and ").Append(Count(run.Datasets.Count - Listed)).Append(" more datasets ").Append(FullList).Append('\n');
        }

        if (run.Models.Count > 0)
        {
            md.Append("- models: ").AppendJoin(", ", run.Models.Take(Listed).Select(m => Code(m, detail)));
            md.Append(run.Models.Count > Listed ? $", … and {Count(run.Models.Count - Listed)} more\n" : "\n");
        }

        foreach (var line in ReportText.ModelCalls(run).Take(Listed))
        {
            md.Append("- model calls: ").Append(MarkdownText.Text(line, detail.Cell * 2)).Append('\n');
        }

        md.Append("- started ").Append(MarkdownText.Text(run.StartedAt, 40)).Append(", took ").Append(Count(run.DurationMs)).Append(" ms\n");
        md.Append("\n</details>\n");
    }

    private IReadOnlyList<RunRow> FirstRows(GateResult gate)
    {
        if (!_firstRows.TryGetValue(gate, out var rows))
        {
            rows = _firstRows[gate] = _index.First(gate, 3);
        }

        return rows;
    }

    private static string Short(string sha, int length = 8) =>
        sha.Length <= length ? sha : sha[..length] + (sha.EndsWith("+dirty", StringComparison.Ordinal) ? "+dirty" : string.Empty);
}
