using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Reports;

/// <summary>The cohort table: one row per cohort, the row-level pass with its interval bar, thresholds and delta, then each evaluator's.</summary>
internal static class HtmlCohortTable
{
    public static void Write(HtmlWriter html, Run run)
    {
        var table = CohortTable.Of(run);
        var gates = run.Gates.ToLookup(g => (g.Cohort, g.Evaluator));
        var gatesByCohort = run.Gates.ToLookup(g => g.Cohort, StringComparer.Ordinal);
        var hasBaseline = run.Baseline is not null;

        html.Raw("<section id=\"cohorts\" aria-labelledby=\"cohorts-h\"><h2 id=\"cohorts-h\">Cohorts <span class=\"n\">(")
            .Text(HtmlFormat.Count(table.Lines.Count)).Raw(")</span></h2>");
        html.Raw("<form class=\"controls\" role=\"search\" data-filter-for=\"cohort-rows\" data-items=\"tr\" data-noun=\"cohorts\" hidden>")
            .Raw("<label for=\"cohort-filter\">Filter cohorts</label>")
            .Raw("<input id=\"cohort-filter\" type=\"search\" autocomplete=\"off\" placeholder=\"e.g. intent, es-ES, failed, insufficient\">")
            .Raw("<output aria-live=\"polite\"></output></form>");
        html.Raw("<table id=\"cohort-table\" class=\"sortable cohorts\"><caption>")
            .Raw("Bar: the blue band is the 95% Wilson interval of the pass rate, the dark tick the pass rate, a black mark a gate's minimum pass rate")
            .Raw(hasBaseline ? ", a dashed mark the lowest rate a max_drop gate allows against the baseline" : string.Empty)
            .Raw(". Evaluator columns count the rows each evaluator applies to. Click a column heading to sort.</caption><thead><tr>")
            .Raw("<th scope=\"col\" aria-sort=\"none\"><button type=\"button\" class=\"sort\">Cohort</button></th>")
            .Raw("<th scope=\"col\" aria-sort=\"none\"><button type=\"button\" class=\"sort\">Gate</button></th>")
            .Raw("<th scope=\"col\" class=\"n\" aria-sort=\"none\"><button type=\"button\" class=\"sort\">Rows</button></th>")
            .Raw("<th scope=\"col\" aria-sort=\"none\"><button type=\"button\" class=\"sort\">Pass rate</button> <span class=\"sub\">(95% interval, thresholds)</span></th>");
        if (hasBaseline)
        {
            html.Raw("<th scope=\"col\" class=\"n\" aria-sort=\"none\"><button type=\"button\" class=\"sort\">Δ baseline</button></th>");
        }

        foreach (var evaluator in table.Evaluators)
        {
            html.Raw("<th scope=\"col\" aria-sort=\"none\"><button type=\"button\" class=\"sort\">").Text(evaluator).Raw("</button></th>");
        }

        html.Raw("</tr></thead><tbody id=\"cohort-rows\">");
        var index = 0;
        foreach (var line in table.Lines)
        {
            var overall = line.Overall;
            var cohortGates = gatesByCohort[overall.Cohort].ToList();
            var worst = cohortGates.Count == 0 ? ((int Rank, string Label, string Css)?)null : cohortGates.Select(HtmlFormat.Status).MinBy(s => s.Rank);
            var rowClass = worst is { Css: "bad" } ? "g-bad" : worst is { Css: "warn" } ? "g-warn" : string.Empty;
            var statusWord = worst is { } w ? w.Label.Split(' ', 2)[1] : "no gate";

            html.Raw("<tr id=\"c-").Number(index++).Raw("\"");
            if (rowClass.Length > 0)
            {
                html.Raw(" class=\"").Raw(rowClass).Raw("\"");
            }

            html.Raw(" data-k=\"").Text(overall.Cohort.ToLowerInvariant()).Raw(' ' + statusWord).Raw("\">");
            html.Raw("<th scope=\"row\"><code>").Text(overall.Cohort).Raw(overall.Cohort == "*" ? "</code> <span class=\"sub\">all rows</span></th>" : "</code></th>");

            // Gate status: the worst outcome of every gate on this cohort, each gate's sentence in the tooltip.
            html.Raw("<td data-v=\"").Number(worst?.Rank ?? 6).Raw("\"");
            if (cohortGates.Count > 0)
            {
                html.Raw(" title=\"").Text(string.Join("\n", cohortGates.Select(g => g.Message))).Raw("\"");
            }

            html.Raw(worst is { } s ? $"><span class=\"st {s.Css}\">{s.Label}</span></td>" : "><span class=\"st mute\">no gate</span></td>");

            var failing = overall.Rows - overall.Passed;
            html.Raw("<td class=\"n\" data-v=\"").Number(overall.Rows).Raw("\">").Text(HtmlFormat.Count(overall.Rows));
            if (failing > 0)
            {
                html.Raw("<br><a class=\"fl-link sub\" href=\"#failing\" data-q=\"").Text(overall.Cohort == "*" ? string.Empty : $"\"{overall.Cohort.ToLowerInvariant()}\"")
                    .Raw("\">").Text(HtmlFormat.Count(failing)).Raw(" not passing</a>");
            }

            html.Raw("</td>");
            WriteRateCell(html, overall, gates[(overall.Cohort, "*")].ToList(), wide: true);
            if (hasBaseline)
            {
                WriteDeltaCell(html, overall.Delta);
            }

            foreach (var evaluator in table.Evaluators)
            {
                var cell = line.ByEvaluator[evaluator];
                if (cell is null || cell.Rows == 0)
                {
                    html.Raw("<td data-v=\"\"><span class=\"mute\" title=\"the evaluator applies to no row of this cohort\">–</span></td>");
                    continue;
                }

                WriteRateCell(html, cell, gates[(cell.Cohort, evaluator)].ToList(), wide: false);
            }

            html.Raw("</tr>");
        }

        html.Raw("</tbody></table></section>");
    }

    private static void WriteRateCell(HtmlWriter html, CohortResult cohort, List<GateResult> gates, bool wide)
    {
        if (cohort.PassRate is not { } rate)
        {
            html.Raw("<td data-v=\"\"><span class=\"mute\">no rows</span>");
            var insufficient = gates.FirstOrDefault(g => g.Status == GateStatuses.Insufficient);
            if (insufficient is not null)
            {
                var (_, flag, css) = HtmlFormat.Status(insufficient);
                html.Raw(" <span class=\"st ").Raw(css).Raw("\">").Raw(flag).Raw("</span>");
            }

            html.Raw("</td>");
            return;
        }

        var minimums = gates.Where(g => g.MinPassRate is not null).Select(g => g.MinPassRate!.Value).Distinct().Order().ToList();
        var dropLimits = gates.Where(g => g.MaxDrop is not null && g.BaselinePassRate is not null)
            .Select(g => (Limit: Math.Max(0, g.BaselinePassRate!.Value - g.MaxDrop!.Value), g.MaxDrop!.Value)).Distinct().ToList();
        var label = new List<string> { $"{cohort.Evaluator switch { "*" => "pass rate", var e => e }} {HtmlFormat.Percent(rate)} of {HtmlFormat.Count(cohort.Rows)} rows", $"95% interval {HtmlFormat.Interval(cohort.Ci95)}" };
        label.AddRange(minimums.Select(m => $"gate minimum {HtmlFormat.Percent(m)}"));
        label.AddRange(dropLimits.Select(d => $"max_drop limit {HtmlFormat.Percent(d.Limit)}"));

        html.Raw("<td data-v=\"").Text(HtmlFormat.Key(rate)).Raw("\"><span class=\"rate\">").Text(HtmlFormat.Percent(rate)).Raw("</span> <span class=\"sub\">")
            .Text(HtmlFormat.Count(cohort.Passed)).Raw('/' + HtmlFormat.Count(cohort.Rows));
        if (cohort.Errors > 0)
        {
            html.Raw(", ").Text(HtmlFormat.Count(cohort.Errors)).Raw(" undecided");
        }

        // In the narrow evaluator cells only a change is worth the space; the row's own Δ column shows "= 0.0 pt".
        if (!wide && cohort.Delta is { } delta && Math.Abs(delta) >= 0.0005)
        {
            var (text, css) = HtmlFormat.Delta(delta);
            html.Raw(" <span class=\"").Raw(css).Raw("\">").Text(text).Raw("</span>");
        }

        html.Raw("</span><div class=\"bar ").Raw(wide ? "w" : "s").Raw("\" role=\"img\" aria-label=\"").Text(string.Join(", ", label)).Raw("\">");
        if (cohort.Ci95 is { Count: 2 } ci)
        {
            html.Raw("<i class=\"ci\" style=\"left:").Raw(HtmlFormat.Position(ci[0])).Raw("%;width:").Raw(HtmlFormat.Position(ci[1] - ci[0])).Raw("%\"></i>");
        }

        html.Raw("<i class=\"pt\" style=\"left:").Raw(HtmlFormat.Position(rate)).Raw("%\"></i>");
        foreach (var minimum in minimums)
        {
            html.Raw("<i class=\"th\" style=\"left:").Raw(HtmlFormat.Position(minimum)).Raw("%\" title=\"gate minimum ").Raw(HtmlFormat.Percent(minimum)).Raw("\"></i>");
        }

        foreach (var (limit, drop) in dropLimits)
        {
            html.Raw("<i class=\"th drop\" style=\"left:").Raw(HtmlFormat.Position(limit)).Raw("%\" title=\"max_drop ")
                .Raw(HtmlFormat.Percent(drop)).Raw(" below the baseline: ").Raw(HtmlFormat.Percent(limit)).Raw("\"></i>");
        }

        html.Raw("</div>");
        if (wide)
        {
            html.Raw("<span class=\"sub\">95% CI ").Text(HtmlFormat.Interval(cohort.Ci95));
            if (minimums.Count > 0)
            {
                html.Raw(" · min ").Text(string.Join(", ", minimums.Select(HtmlFormat.Percent)));
            }

            foreach (var (limit, _) in dropLimits)
            {
                html.Raw(" · drop limit ").Text(HtmlFormat.Percent(limit));
            }

            html.Raw("</span>");
        }
        else if (minimums.Count > 0)
        {
            html.Raw("<span class=\"sub\">min ").Text(string.Join(", ", minimums.Select(HtmlFormat.Percent))).Raw("</span>");
        }

        var flagged = gates.FirstOrDefault(g => g.Status == GateStatuses.Insufficient);
        if (flagged is not null)
        {
            var (_, text, css) = HtmlFormat.Status(flagged);
            html.Raw("<br><span class=\"st ").Raw(css).Raw("\">").Raw(text).Raw("</span> <span class=\"sub\">")
                .Text(HtmlFormat.Count(flagged.Rows)).Raw(" &lt; ").Text(HtmlFormat.Count(flagged.MinRows)).Raw(" rows</span>");
        }

        html.Raw("</td>");
    }

    private static void WriteDeltaCell(HtmlWriter html, double? delta)
    {
        if (delta is not { } d)
        {
            html.Raw("<td class=\"n\" data-v=\"\"><span class=\"mute\" title=\"the baseline has no such cohort\">new</span></td>");
            return;
        }

        var (text, css) = HtmlFormat.Delta(d);
        html.Raw("<td class=\"n ").Raw(css).Raw("\" data-v=\"").Text(HtmlFormat.Key(d)).Raw("\">").Text(text).Raw("</td>");
    }
}
