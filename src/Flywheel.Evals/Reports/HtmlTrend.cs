using System.Globalization;
using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Reports;

/// <summary>One small inline SVG per cohort: the row-level pass rate over the history's runs and this one, with the gates' minimums.</summary>
internal static class HtmlTrend
{
    private const double Width = 240;
    private const double Height = 86;
    private const double Left = 36;
    private const double Right = 8;
    private const double Top = 6;
    private const double Bottom = 16;

    public static void Write(HtmlWriter html, Run run, RunHistory history)
    {
        // A history folder that also holds this very run (same start and commit) would draw it twice.
        var earlier = history.Runs.Where(h => !(h.Run.StartedAt == run.StartedAt && h.Run.Commit == run.Commit)).ToList();
        var points = earlier.Select(h => (Label: h.Label, When: h.Run.StartedAt, Run: h.Run)).Append((Label: "this run", When: run.StartedAt, Run: run)).ToList();
        var cohorts = run.Cohorts.Where(c => c.Evaluator == "*").Select(c => c.Cohort).ToList();

        html.Raw("<section id=\"trend\" aria-labelledby=\"trend-h\"><h2 id=\"trend-h\">Trend <span class=\"n\">(")
            .Text(HtmlFormat.Count(points.Count)).Raw(" runs)</span></h2><p class=\"note\">Row-level pass rate per cohort over the runs of the history folder, oldest first, and this run (right). ")
            .Raw("The dashed line is the strictest gate minimum of each run. Runs: ");
        for (var i = 0; i < points.Count; i++)
        {
            html.Raw(i == 0 ? string.Empty : " → ").Raw("<code>").Text(points[i].Label).Raw("</code>");
            if (i < earlier.Count)
            {
                html.Raw(" <span class=\"sub\">").Text(HtmlFormat.When(points[i].When)).Raw("</span>");
            }
        }

        html.Raw("</p><div class=\"trend\">");
        foreach (var cohort in cohorts)
        {
            var rates = points.Select(p => p.Run.Cohorts.FirstOrDefault(c => c.Cohort == cohort && c.Evaluator == "*")?.PassRate).ToList();
            var minimums = points.Select(p => p.Run.Gates.Where(g => g.Cohort == cohort && g.Evaluator == "*" && g.MinPassRate is not null)
                .Select(g => g.MinPassRate).Max()).ToList();
            var failed = run.Gates.Any(g => g.Cohort == cohort && g.Blocking);
            WriteChart(html, cohort, points.Select(p => p.Label).ToList(), rates, minimums, failed);
        }

        html.Raw("</div></section>");
    }

    private static void WriteChart(HtmlWriter html, string cohort, List<string> labels, List<double?> rates, List<double?> minimums, bool failed)
    {
        var values = rates.Concat(minimums).OfType<double>().ToList();
        // Start the axis a little below the lowest value (in tenths) so a drop from 98% to 93% is visible, not flattened.
        var floor = values.Count == 0 ? 0 : Math.Clamp(Math.Floor((values.Min() - 0.05) * 10) / 10, 0, 0.9);
        var n = labels.Count;
        double X(int i) => n == 1 ? Left + ((Width - Left - Right) / 2) : Left + (i * (Width - Left - Right) / (n - 1));
        double Y(double rate) => Top + ((1 - ((rate - floor) / (1 - floor))) * (Height - Top - Bottom));

        var spoken = string.Join(", ", labels.Select((l, i) => $"{l} {(rates[i] is { } r ? HtmlFormat.Percent(r) : "no rows")}"));
        var current = rates[^1];
        var previous = rates.Take(n - 1).LastOrDefault(r => r is not null);
        html.Raw("<figure><figcaption><code>").Text(cohort).Raw("</code> <span class=\"").Raw(failed ? "bad" : "mute").Raw("\">");
        if (previous is { } before && current is { } now)
        {
            html.Text($"{HtmlFormat.Percent(before)} → {HtmlFormat.Percent(now)}");
        }
        else if (current is { } only)
        {
            html.Text(HtmlFormat.Percent(only));
        }

        html.Raw(failed ? " ✗" : string.Empty).Raw("</span></figcaption>");
        html.Raw("<svg viewBox=\"0 0 ").Raw(F(Width)).Raw(' ' + F(Height)).Raw("\" role=\"img\" aria-label=\"").Text($"{cohort} pass rate by run: {spoken}").Raw("\">");

        // Axis: the floor and 100%.
        foreach (var level in new[] { floor, 1.0 })
        {
            html.Raw("<line x1=\"").Raw(F(Left)).Raw("\" x2=\"").Raw(F(Width - Right)).Raw("\" y1=\"").Raw(F(Y(level))).Raw("\" y2=\"").Raw(F(Y(level)))
                .Raw("\" stroke=\"#d1d9e0\" stroke-width=\"1\"/><text x=\"").Raw(F(Left - 4)).Raw("\" y=\"").Raw(F(Y(level) + 3.5)).Raw("\" text-anchor=\"end\">")
                .Raw((level * 100).ToString("0", CultureInfo.InvariantCulture)).Raw("%</text>");
        }

        WritePath(html, minimums, X, Y, "stroke=\"#1f2328\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\" fill=\"none\"");
        WritePath(html, rates, X, Y, $"stroke=\"{(failed ? "#c5221f" : "#0b4da2")}\" stroke-width=\"2\" fill=\"none\"");
        for (var i = 0; i < n; i++)
        {
            if (rates[i] is not { } rate)
            {
                continue;
            }

            var last = i == n - 1;
            html.Raw("<circle cx=\"").Raw(F(X(i))).Raw("\" cy=\"").Raw(F(Y(rate))).Raw("\" r=\"").Raw(last ? "3.5" : "2.5")
                .Raw("\" fill=\"").Raw(last && failed ? "#c5221f" : "#0b4da2").Raw("\"><title>")
                .Text($"{labels[i]}: {HtmlFormat.Percent(rate)}{(minimums[i] is { } m ? $" (minimum {HtmlFormat.Percent(m)})" : string.Empty)}").Raw("</title></circle>");
        }

        html.Raw("<text x=\"").Raw(F(Left)).Raw("\" y=\"").Raw(F(Height - 3)).Raw("\">").Trimmed(labels[0], 18).Raw("</text>");
        if (n > 1)
        {
            html.Raw("<text x=\"").Raw(F(Width - Right)).Raw("\" y=\"").Raw(F(Height - 3)).Raw("\" text-anchor=\"end\">").Trimmed(labels[^1], 18).Raw("</text>");
        }

        html.Raw("</svg></figure>");
    }

    private static void WritePath(HtmlWriter html, List<double?> values, Func<int, double> x, Func<double, double> y, string style)
    {
        // Runs where the cohort had no rows (or no gate) break the line instead of bridging the gap.
        var segment = new List<string>();
        for (var i = 0; i <= values.Count; i++)
        {
            if (i < values.Count && values[i] is { } value)
            {
                segment.Add($"{F(x(i))},{F(y(value))}");
                continue;
            }

            if (segment.Count > 1)
            {
                html.Raw("<polyline points=\"").Raw(string.Join(' ', segment)).Raw("\" ").Raw(style).Raw("/>");
            }
            else if (segment.Count == 1 && style.Contains("dasharray", StringComparison.Ordinal))
            {
                // A single run with a minimum: draw it as a short level mark.
                var parts = segment[0].Split(',');
                var cx = double.Parse(parts[0], CultureInfo.InvariantCulture);
                html.Raw("<line x1=\"").Raw(F(cx - 8)).Raw("\" x2=\"").Raw(F(cx + 8)).Raw("\" y1=\"").Raw(parts[1]).Raw("\" y2=\"").Raw(parts[1]).Raw("\" ").Raw(style).Raw("/>");
            }

            segment.Clear();
        }
    }

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
