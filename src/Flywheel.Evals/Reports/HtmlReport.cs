using System.Reflection;
using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Reports;

/// <summary>
/// The release manager's page: one self-contained HTML file (inline CSS and script, no request of any kind) with the
/// verdict, the failed gates, the cohort table, regressions and failures, the trend over earlier runs and the provenance.
/// </summary>
public sealed class HtmlReport : IRunReport
{
    // The headings, filter box and notes of the failure sections, which are not part of the rows' allowance.
    private const long SectionNotes = 4_000;

    private readonly RunHistory? _history;
    private readonly HtmlBudget _budget;

    /// <summary>A report without a trend.</summary>
    public HtmlReport()
        : this(null)
    {
    }

    /// <summary>A report whose trend charts draw the runs of <paramref name="history"/> before this one.</summary>
    public HtmlReport(RunHistory? history)
        : this(history, HtmlBudget.Default)
    {
    }

    internal HtmlReport(RunHistory? history, HtmlBudget budget)
    {
        _history = history;
        _budget = budget;
    }

    /// <inheritdoc />
    public string Format => "html";

    /// <inheritdoc />
    public string? FileName => "report.html";

    /// <inheritdoc />
    public async Task WriteAsync(Run run, TextWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(writer);
        var html = new HtmlWriter();
        var failures = new HtmlFailureList(run);
        var failedGates = run.Gates.Where(g => g.Status is GateStatuses.Failed or GateStatuses.Insufficient).ToList();

        WriteHead(html, run);
        WriteVerdict(html, run, failures, failedGates);
        html.Raw("<main>");
        WriteErrors(html, run);
        WriteGates(html, run, failedGates);
        WriteSummary(html, run, failures);
        HtmlCohortTable.Write(html, run);

        // What follows the failing rows is rendered first, so the rows get exactly the room the page has left.
        var tail = new HtmlWriter();
        if (_history is not null)
        {
            HtmlTrend.Write(tail, run, _history);
        }

        WriteProvenance(tail, run);
        tail.Raw("</main><script>").Raw(HtmlAssets.Script).Raw("</script></body></html>\n");
        var allowance = _budget.PageBytes - html.Flushed - html.Utf8Bytes() - tail.Utf8Bytes() - SectionNotes;
        await html.FlushAsync(writer, cancellationToken).ConfigureAwait(false);
        await failures.WriteAsync(html, writer, Math.Max(0, allowance), _budget.ListShare, cancellationToken).ConfigureAwait(false);
        html.Append(tail);
        await html.FlushAsync(writer, cancellationToken, force: true).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void WriteHead(HtmlWriter html, Run run)
    {
        html.Raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Raw("<meta http-equiv=\"Content-Security-Policy\" content=\"").Raw(HtmlAssets.ContentSecurityPolicy).Raw("\">")
            .Raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Raw("<meta name=\"referrer\" content=\"no-referrer\">")
            .Raw("<meta name=\"generator\" content=\"Flywheel ").Text(Version()).Raw("\">")
            // Without an icon of its own a browser asks the file's folder (or server) for favicon.ico.
            .Raw("<link rel=\"icon\" href=\"data:,\">")
            .Raw("<title>Flywheel ").Text(run.Verdict).Raw(" · ").Text(string.Join(", ", run.Datasets.Select(d => $"{d.Name} {d.Version}"))).Raw("</title>")
            .Raw("<style>").Raw(HtmlAssets.Style).Raw("</style></head><body>");
    }

    private static void WriteVerdict(HtmlWriter html, Run run, HtmlFailureList failures, List<GateResult> failedGates)
    {
        var badge = run.Verdict switch { Verdicts.Passed => "PASSED", Verdicts.Failed => "FAILED", _ => "ERROR" };
        var css = run.Verdict switch { Verdicts.Passed => "v-passed", Verdicts.Failed => "v-failed", _ => "v-error" };
        html.Raw("<header class=\"v ").Raw(css).Raw("\"><div class=\"top\"><span class=\"badge\" id=\"verdict-badge\">").Raw(badge).Raw("</span>")
            .Raw("<h1 id=\"verdict\">").Text(ReportText.Headline(run)).Raw("</h1><p class=\"meta\">")
            .Text(HtmlFormat.Count(run.Rows.Count)).Raw(" rows · ")
            .Text(string.Join(", ", run.Datasets.Select(d => $"{d.Name} {d.Version}")));
        if (run.Commit is { } commit)
        {
            html.Raw(" · commit <code>").Text(HtmlFormat.ShortCommit(commit)).Raw("</code>");
        }

        html.Raw(run.Baseline is null ? " · no baseline" : " · baseline <code>").Text(run.Baseline).Raw(run.Baseline is null ? string.Empty : "</code>")
            .Raw(" · ran ").Text(HtmlFormat.When(run.StartedAt)).Raw("</p>");

        html.Raw("<nav class=\"toc\" aria-label=\"Sections\">");
        if (run.Errors.Count > 0)
        {
            html.Raw("<a href=\"#errors\">Input errors (").Text(HtmlFormat.Count(run.Errors.Count)).Raw(")</a>");
        }

        html.Raw("<a href=\"#gates\">").Raw(failedGates.Count > 0 ? "Failed gates (" + HtmlFormat.Count(failedGates.Count) + ")" : "Gates").Raw("</a>")
            .Raw("<a href=\"#cohorts\">Cohorts</a>");
        if (run.Baseline is not null)
        {
            html.Raw("<a href=\"#regressions\">Regressions (").Text(HtmlFormat.Count(failures.Regressions.Count)).Raw(")</a>");
        }

        html.Raw("<a href=\"#failures\">").Raw(run.Baseline is null ? "Failures (" : "Other failures (").Text(HtmlFormat.Count(failures.Others.Count)).Raw(")</a>")
            .Raw("<a href=\"#provenance\">Provenance</a></nav></div></header>");
    }

    private static void WriteErrors(HtmlWriter html, Run run)
    {
        if (run.Errors.Count == 0)
        {
            return;
        }

        html.Raw("<section id=\"errors\" aria-labelledby=\"errors-h\"><h2 id=\"errors-h\">Input errors <span class=\"n\">(").Text(HtmlFormat.Count(run.Errors.Count))
            .Raw(")</span></h2><p class=\"note\">The run could not decide; fix these and run again. An error is never a pass.</p><ul>");
        foreach (var error in run.Errors.Take(500))
        {
            html.Raw("<li><code>").Text(error).Raw("</code></li>");
        }

        html.Raw("</ul>");
        if (run.Errors.Count > 500)
        {
            html.Raw("<p class=\"note\">… and ").Text(HtmlFormat.Count(run.Errors.Count - 500)).Raw(" more in <code>run.json</code>.</p>");
        }

        html.Raw("</section>");
    }

    private static void WriteGates(HtmlWriter html, Run run, List<GateResult> failedGates)
    {
        html.Raw("<section id=\"gates\" aria-labelledby=\"gates-h\">");
        if (failedGates.Count == 0)
        {
            html.Raw("<h2 id=\"gates-h\">Gates</h2><p><span class=\"st ok\">✓ ").Text(HtmlFormat.Count(run.Gates.Count(g => g.Status == GateStatuses.Passed)))
                .Raw(" gate check(s) passed</span>");
            var skipped = run.Gates.Count(g => g.Status == GateStatuses.Skipped);
            if (skipped > 0)
            {
                html.Raw(" · <span class=\"mute\">").Text(HtmlFormat.Count(skipped)).Raw(" skipped (max_drop needs a baseline)</span>");
            }

            html.Raw("</p></section>");
            return;
        }

        html.Raw("<h2 id=\"gates-h\">Failed gates <span class=\"n\">(").Text(HtmlFormat.Count(failedGates.Count)).Raw(" of ").Text(HtmlFormat.Count(run.Gates.Count))
            .Raw(" gate checks)</span></h2><table id=\"failed-gates\" class=\"gates\"><thead><tr><th scope=\"col\">Cohort</th><th scope=\"col\">Evaluator</th><th scope=\"col\">Status</th>")
            .Raw("<th scope=\"col\" class=\"n\">Pass rate</th><th scope=\"col\">Required</th><th scope=\"col\" class=\"n\">Rows</th><th scope=\"col\">Why</th></tr></thead><tbody>");
        var cohortRows = CohortTable.Of(run).Lines.Select((l, i) => (l.Overall.Cohort, i)).ToDictionary(x => x.Cohort, x => x.i, StringComparer.Ordinal);
        foreach (var gate in failedGates)
        {
            var (_, label, css) = HtmlFormat.Status(gate);
            html.Raw("<tr data-cohort=\"").Text(gate.Cohort).Raw("\" data-evaluator=\"").Text(gate.Evaluator).Raw("\"><th scope=\"row\">");
            if (cohortRows.TryGetValue(gate.Cohort, out var index))
            {
                html.Raw("<a href=\"#c-").Number(index).Raw("\"><code>").Text(gate.Cohort).Raw("</code></a>");
            }
            else
            {
                html.Raw("<code>").Text(gate.Cohort).Raw("</code>");
            }

            html.Raw("</th><td>").Text(gate.Evaluator == "*" ? "every evaluator (row passes)" : gate.Evaluator).Raw("</td><td><span class=\"st ").Raw(css).Raw("\">").Raw(label).Raw("</span></td>")
                .Raw("<td class=\"n\">").Text(gate.PassRate is { } rate ? HtmlFormat.Percent(rate) : "–").Raw("</td><td>").Text(HtmlFormat.Requirement(gate))
                .Raw("</td><td class=\"n\">").Text(HtmlFormat.Count(gate.Rows)).Raw("</td><td>").Text(gate.Message).Raw("</td></tr>");
        }

        html.Raw("</tbody></table></section>");
    }

    private static void WriteSummary(HtmlWriter html, Run run, HtmlFailureList failures)
    {
        var passing = run.Rows.Count - run.Rows.NotPassing.Count;
        html.Raw("<p class=\"note\" id=\"summary\">").Text(HtmlFormat.Count(run.Rows.Count)).Raw(" rows: <strong>").Text(HtmlFormat.Count(failures.Total)).Raw(" failing</strong>");
        if (run.Baseline is not null)
        {
            html.Raw(" (").Text(HtmlFormat.Count(failures.Regressions.Count)).Raw(" regressions)");
        }

        html.Raw(", ").Text(HtmlFormat.Count(passing)).Raw(" passing");
        if (failures.NotChecked > 0)
        {
            html.Raw(", ").Text(HtmlFormat.Count(failures.NotChecked)).Raw(" no evaluator applies to");
        }

        html.Raw(". Passing rows are counted in the cohort table, not listed; every row is in <code>run.json</code>.");
        if (run.Baseline is not null && run.RowsAdded is { } added && run.RowsRemoved is { } removed)
        {
            html.Raw(" Against the baseline: ").Text(HtmlFormat.Count(added.Count)).Raw(" rows added, ").Text(HtmlFormat.Count(removed.Count)).Raw(" removed.");
        }

        html.Raw("</p>");
    }

    private static void WriteProvenance(HtmlWriter html, Run run)
    {
        html.Raw("<section id=\"provenance\" aria-labelledby=\"provenance-h\"><h2 id=\"provenance-h\">Provenance</h2><table class=\"kv\"><tbody>");
        Row(html, "Verdict", run.Verdict);
        Row(html, "Ran", run.StartedAt is null ? "–" : $"{HtmlFormat.When(run.StartedAt)} ({run.StartedAt}), took {HtmlFormat.Count(run.DurationMs)} ms");
        Row(html, "Commit", run.Commit ?? "– (not in a git work tree)", code: run.Commit is not null);
        Row(html, "Suite", run.Config ?? "–", code: true);
        Row(html, "Suite SHA-256", run.ConfigSha256 ?? "–", code: true);
        Row(html, "Responses", run.Responses ?? "–", code: true);
        Row(html, "Baseline", run.Baseline ?? "none", code: run.Baseline is not null);
        Row(html, "Models", run.Models.Count == 0 ? "–" : string.Join(", ", run.Models), code: run.Models.Count > 0);
        html.Raw("</tbody></table><h3>Datasets</h3><table class=\"datasets\"><thead><tr><th scope=\"col\">Dataset</th><th scope=\"col\">Version</th>")
            .Raw("<th scope=\"col\" class=\"n\">Rows</th><th scope=\"col\">Commit</th><th scope=\"col\">Folder</th></tr></thead><tbody>");
        foreach (var dataset in run.Datasets)
        {
            html.Raw("<tr><th scope=\"row\"><code>").Text(dataset.Name).Raw("</code></th><td>").Text(dataset.Version).Raw("</td><td class=\"n\">").Text(HtmlFormat.Count(dataset.Rows))
                .Raw("</td><td><code>").Text(dataset.Commit ?? "–").Raw("</code></td><td><code>").Text(dataset.Path ?? "–").Raw("</code></td></tr>");
        }

        html.Raw("</tbody></table></section>");
    }

    private static void Row(HtmlWriter html, string name, string value, bool code = false)
    {
        html.Raw("<tr><th scope=\"row\">").Raw(name).Raw("</th><td>").Raw(code ? "<code>" : string.Empty).Text(value).Raw(code ? "</code>" : string.Empty).Raw("</td></tr>");
    }

    private static string Version() =>
        typeof(HtmlReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
