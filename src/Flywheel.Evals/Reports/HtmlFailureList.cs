using Flywheel.Evals.Datasets;
using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Reports;

/// <summary>
/// The failing rows: regressions (passed on the baseline, fail now) first, then the other failures — rows in a cohort
/// whose gate failed before the rest, rows awaiting review last. Each is expandable to everything a reviewer needs,
/// as far as the byte budget allows; the rest are listed in one line each, then counted.
/// </summary>
internal sealed class HtmlFailureList
{
    private const int WhyLength = 160;
    private const int ShortWhyLength = 72;
    private const int ListChunk = 250;

    private readonly Run _run;
    private readonly Dictionary<(string Dataset, string Id), List<string>> _regressed = [];
    private readonly Dictionary<string, string?> _datasetPaths;
    private readonly bool _singleDataset;

    public HtmlFailureList(Run run)
    {
        _run = run;
        foreach (var regression in run.Regressions)
        {
            if (!_regressed.TryGetValue((regression.Dataset, regression.Id), out var evaluators))
            {
                _regressed[(regression.Dataset, regression.Id)] = evaluators = [];
            }

            evaluators.Add(regression.Evaluator);
        }

        var failing = run.Rows.NotPassing.Where(IsFailure).ToList();
        Regressions = failing.Where(r => _regressed.ContainsKey((r.Dataset, r.Id))).ToList();
        var blocking = run.Gates.Where(g => g.Blocking).Select(g => g.Cohort).Distinct().ToList();
        Others = failing.Where(r => !_regressed.ContainsKey((r.Dataset, r.Id)))
            .OrderBy(r => !r.Gates ? 2 : blocking.Any(c => ReportText.InCohort(r, c)) ? 0 : 1)
            .ToList();
        NotChecked = run.Rows.NotPassing.Count(r => !IsFailure(r));
        _datasetPaths = run.Datasets.GroupBy(d => d.Name).ToDictionary(g => g.Key, g => g.First().Path, StringComparer.Ordinal);
        _singleDataset = run.Datasets.Count <= 1;
    }

    /// <summary>Failing rows that passed on the baseline.</summary>
    public IReadOnlyList<RunRow> Regressions { get; }

    /// <summary>The other failing rows, in the order shown.</summary>
    public IReadOnlyList<RunRow> Others { get; }

    /// <summary>Rows no evaluator applied to (neither passing nor failing).</summary>
    public int NotChecked { get; }

    /// <summary>Every failing row.</summary>
    public int Total => Regressions.Count + Others.Count;

    /// <summary>A row that failed, or that an evaluator could not decide.</summary>
    public static bool IsFailure(RunRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.Passed == false || row.Error is not null || row.Scores.Any(s => s.Passed is null);
    }

    /// <summary>Writes the regressions and failures sections, spending at most <paramref name="allowance"/> bytes on rows.</summary>
    public async Task WriteAsync(HtmlWriter html, TextWriter writer, long allowance, double listShare, CancellationToken cancellationToken)
    {
        html.Raw("<div id=\"failing\">");
        var spend = Plan(allowance, listShare);
        if (_run.Baseline is not null)
        {
            html.Raw("<section id=\"regressions\" aria-labelledby=\"regressions-h\"><h2 id=\"regressions-h\">Regressions <span class=\"n\">(")
                .Text(HtmlFormat.Count(Regressions.Count)).Raw(Regressions.Count == 1 ? " row)" : " rows)").Raw("</span></h2>");
            html.Raw("<p class=\"note\">Rows that passed on the baseline <code>").Text(_run.Baseline).Raw("</code> and fail now; look at these first.</p>");
            WriteFilter(html);
            if (Regressions.Count == 0)
            {
                html.Raw("<p><span class=\"st ok\">✓ none</span>: no row that passed on the baseline fails now.</p>");
            }

            await WriteRowsAsync(html, writer, 0, Regressions.Count, spend, cancellationToken).ConfigureAwait(false);
            html.Raw("</section>");
        }

        html.Raw("<section id=\"failures\" aria-labelledby=\"failures-h\"><h2 id=\"failures-h\">")
            .Raw(_run.Baseline is null ? "Failures" : "Other failures").Raw(" <span class=\"n\">(")
            .Text(HtmlFormat.Count(Others.Count)).Raw(Others.Count == 1 ? " row)" : " rows)").Raw("</span></h2>");
        html.Raw("<p class=\"note\">").Raw(_run.Baseline is null ? "No baseline was given, so no row can be called a regression. " : string.Empty)
            .Raw("Rows in a cohort whose gate failed come first, rows awaiting review (not gating) last. Expand a row for its input, context, expectation, response and every evaluator's reason.</p>");
        if (_run.Baseline is null)
        {
            WriteFilter(html);
        }

        if (Others.Count == 0)
        {
            html.Raw("<p><span class=\"st ok\">✓ none</span></p>");
        }

        await WriteRowsAsync(html, writer, Regressions.Count, Total, spend, cancellationToken).ConfigureAwait(false);
        if (spend.Listed > 0 || spend.Omitted > 0)
        {
            html.Raw("<p class=\"note\" id=\"budget-note\"><strong>").Text(HtmlFormat.Count(spend.Full)).Raw(" of ").Text(HtmlFormat.Count(Total))
                .Raw(" failing rows are shown in full</strong>");
            if (spend.Listed > 0)
            {
                html.Raw("; ").Text(HtmlFormat.Count(spend.Listed)).Raw(" more are listed in one line each");
            }

            if (spend.Omitted > 0)
            {
                html.Raw("; <strong>").Text(HtmlFormat.Count(spend.Omitted)).Raw(" more are not on this page</strong>");
            }

            html.Raw(". Every failing row is in full in <code>run.json</code> (<code>\"passed\": false</code>), with its input, context, expectation and response; this page stays under 5 MB.</p>");
        }

        html.Raw("</section></div>");
    }

    // One filter box over both sections, under the first one's heading.
    private void WriteFilter(HtmlWriter html)
    {
        if (Total == 0)
        {
            return;
        }

        html.Raw("<form class=\"controls fails\" role=\"search\" data-filter-for=\"failing\" data-items=\"details.f, ul.more > li\" data-noun=\"failing rows\" hidden>")
            .Raw("<label for=\"fail-filter\">Filter failing rows</label>")
            .Raw("<input id=\"fail-filter\" type=\"search\" autocomplete=\"off\" placeholder=\"id, tag, evaluator or &quot;intent=x&quot;\">")
            .Raw("<output aria-live=\"polite\"></output>")
            .Raw("<button type=\"button\" data-expand=\"open\" data-scope=\"failing\" hidden>Expand all</button>")
            .Raw("<button type=\"button\" data-expand=\"close\" data-scope=\"failing\" hidden>Collapse all</button></form>");
    }

    // Decides, before writing, which rows get their full entry: in order, while the row's full entry plus one-line
    // entries for every row after it (capped at the list's share) still fit. Rows after the first that does not fit get
    // one line each while those fit; the rest are counted.
    private Spend Plan(long allowance, double listShare)
    {
        var rows = Regressions.Concat(Others).ToList();
        var scratch = new HtmlWriter(1024);
        var lines = new long[rows.Count + 1];
        for (var i = rows.Count - 1; i >= 0; i--)
        {
            scratch.Clear();
            WriteLine(scratch, rows[i], i < Regressions.Count);
            lines[i] = lines[i + 1] + scratch.Utf8Bytes();
        }

        var reserveCap = (long)(Math.Clamp(listShare, 0, 1) * allowance);
        var kinds = new byte[rows.Count];
        long used = 0;
        var i2 = 0;
        for (; i2 < rows.Count; i2++)
        {
            scratch.Clear();
            WriteFull(scratch, rows[i2], i2 < Regressions.Count);
            var full = scratch.Utf8Bytes();
            if (used + full + Math.Min(lines[i2 + 1], reserveCap) > allowance)
            {
                break;
            }

            used += full;
            kinds[i2] = Kind.Full;
        }

        for (; i2 < rows.Count; i2++)
        {
            var line = lines[i2] - lines[i2 + 1];
            if (used + line > allowance)
            {
                break;
            }

            used += line;
            kinds[i2] = Kind.Line;
        }

        for (; i2 < rows.Count; i2++)
        {
            kinds[i2] = Kind.Omitted;
        }

        return new Spend(rows, kinds);
    }

    private async Task WriteRowsAsync(HtmlWriter html, TextWriter writer, int from, int to, Spend spend, CancellationToken cancellationToken)
    {
        var inList = 0;
        var omittedHere = 0;
        for (var i = from; i < to; i++)
        {
            var row = spend.Rows[i];
            var regression = i < Regressions.Count;
            switch (spend.Kinds[i])
            {
                case Kind.Full:
                    WriteFull(html, row, regression);
                    spend.Full++;
                    break;
                case Kind.Line:
                    if (inList == 0)
                    {
                        html.Raw(spend.Listed == 0 ? "<p class=\"note\">Listed in one line each (the page's room for rows in full is spent):</p>" : string.Empty).Raw("<ul class=\"more\">");
                    }
                    else if (inList % ListChunk == 0)
                    {
                        // Lists come in chunks the browser can skip laying out while they are off screen.
                        html.Raw("</ul><ul class=\"more\">");
                    }

                    WriteLine(html, row, regression);
                    inList++;
                    spend.Listed++;
                    break;
                default:
                    omittedHere++;
                    spend.Omitted++;
                    break;
            }

            await html.FlushAsync(writer, cancellationToken).ConfigureAwait(false);
        }

        if (inList > 0)
        {
            html.Raw("</ul>");
        }

        if (omittedHere > 0)
        {
            html.Raw("<p class=\"note\"><strong>… and ").Text(HtmlFormat.Count(omittedHere)).Raw(omittedHere == 1 ? " more row" : " more rows")
                .Raw(" not on this page</strong>: see <code>run.json</code>.</p>");
        }
    }

    private void WriteFull(HtmlWriter html, RunRow row, bool regression)
    {
        html.Raw("<details class=\"f\"><summary>");
        WriteHeadline(html, row, regression, WhyLength, block: true);
        html.Raw("</summary><dl class=\"fb\">");

        html.Raw("<dt>Row</dt><dd><p>");
        if (_datasetPaths.GetValueOrDefault(row.Dataset) is { } path)
        {
            html.Raw("<code>").Text(path).Raw("/rows.jsonl</code>");
        }
        else
        {
            html.Text(row.Dataset);
        }

        if (row.Line is { } line)
        {
            html.Raw(", line ").Number(line);
        }

        html.Raw(" · review ").Text(row.Review);
        if (row.Error is not null)
        {
            html.Raw(" · <span class=\"st warn\">⚠ error</span> ").Text(row.Error);
        }

        html.Raw("</p></dd>");

        if (row.Input is { Count: > 0 } input)
        {
            html.Raw("<dt>Input</dt><dd>");
            foreach (var message in input)
            {
                html.Raw("<p><b>").Text(message.Name is null ? message.Role : $"{message.Role} ({message.Name})").Raw(":</b> ").Prose(message.Content).Raw("</p>");
            }

            html.Raw("</dd>");
        }

        if (row.Context is { Count: > 0 } context)
        {
            html.Raw("<dt>Context</dt><dd>");
            foreach (var chunk in context)
            {
                html.Raw("<p><b>").Text(chunk.Source is null ? chunk.Id : $"{chunk.Id} ({chunk.Source})").Raw(":</b> ").Prose(chunk.Text).Raw("</p>");
            }

            html.Raw("</dd>");
        }

        if (row.Expected is { } expected)
        {
            html.Raw("<dt>Expected</dt><dd>");
            var first = true;
            foreach (var answer in expected.Answers ?? [])
            {
                html.Raw("<p><b>").Raw(first ? "answer" : "or").Raw(":</b> ").Prose(answer).Raw("</p>");
                first = false;
            }

            if (expected.ToolCalls is { } calls)
            {
                html.Raw("<p><b>tool calls").Raw(expected.ToolOrder == "strict" ? " (in this order)" : string.Empty).Raw(":</b> ");
                if (calls.Count == 0)
                {
                    html.Raw("none may be made");
                }

                for (var i = 0; i < calls.Count; i++)
                {
                    html.Raw(i == 0 ? "<code>" : ", <code>").Prose(HtmlFormat.ExpectedCall(calls[i])).Raw("</code>");
                }

                html.Raw("</p>");
            }

            html.Raw("</dd>");
        }

        html.Raw("<dt>Response</dt><dd>");
        if (row.Response is { } response)
        {
            html.Raw("<p>");
            if (string.IsNullOrEmpty(response.Output))
            {
                html.Raw("<span class=\"mute\">(no text)</span>");
            }
            else
            {
                html.Prose(response.Output);
            }

            html.Raw("</p>");
            if (response.ToolCalls is { } made)
            {
                html.Raw("<p><b>tool calls:</b> ");
                if (made.Count == 0)
                {
                    html.Raw("none");
                }

                for (var i = 0; i < made.Count; i++)
                {
                    html.Raw(i == 0 ? "<code>" : ", <code>").Prose(HtmlFormat.ResponseCall(made[i])).Raw("</code>");
                }

                html.Raw("</p>");
            }

            var facts = HtmlFormat.ResponseFacts(response);
            if (facts.Length > 0)
            {
                html.Raw("<p class=\"sub\">").Text(facts).Raw("</p>");
            }
        }
        else
        {
            html.Raw("<p class=\"mute\">no response recorded</p>");
        }

        html.Raw("</dd><dt>Evaluators</dt><dd><ul class=\"sc\">");
        foreach (var score in row.Scores)
        {
            var (label, css) = score.Passed switch { true => ("✓ passed", "ok"), false => ("✗ failed", "bad"), null => ("⚠ error", "warn") };
            html.Raw("<li><span class=\"st ").Raw(css).Raw("\">").Raw(label).Raw("</span> <b>").Text(score.Evaluator).Raw("</b>");
            if (score.Value is not null)
            {
                html.Raw(" ").Text(HtmlFormat.ScoreValue(score.Value));
            }

            html.Raw(" — ").Prose(score.Reason ?? score.Error ?? string.Empty).Raw("</li>");
        }

        if (row.Scores.Count == 0)
        {
            html.Raw("<li class=\"mute\">no evaluator applied</li>");
        }

        html.Raw("</ul></dd></dl></details>");
    }

    private void WriteLine(HtmlWriter html, RunRow row, bool regression)
    {
        html.Raw("<li>");
        WriteHeadline(html, row, regression, ShortWhyLength, block: false);
        html.Raw("</li>");
    }

    private void WriteHeadline(HtmlWriter html, RunRow row, bool regression, int whyLength, bool block)
    {
        html.Raw("<code>").Text(_singleDataset ? row.Id : row.Key).Raw("</code>");
        if (regression)
        {
            html.Raw(" <span class=\"st bad\">regression</span>");
        }

        if (!row.Gates)
        {
            html.Raw(" <span class=\"st warn\">").Text(row.Review == ReviewStatuses.Approved ? "not gating" : $"{row.Review} review · not gating").Raw("</span>");
        }

        html.Raw(" <span class=\"tg\">").Text(string.Join(" · ", row.Tags.Select(t => $"{t.Key}={t.Value}"))).Raw("</span>");
        // One-line entries are the bulk of a large page: their markup is kept to the least (colours come from ul.more's CSS).
        html.Raw(block ? " <span class=\"why\">" : " ");
        var failing = row.Scores.Where(s => s.Passed != true).ToList();
        if (failing.Count > 0)
        {
            var undecided = failing.Any(s => s.Passed is null);
            html.Raw(undecided ? "<b class=\"warn\">⚠ " : block ? "<b class=\"bad\">✗ " : "<b>✗ ").Text(string.Join(", ", failing.Select(s => s.Evaluator))).Raw("</b> ");
            var first = failing[0];
            html.Trimmed(first.Reason ?? first.Error, whyLength);
        }
        else if (row.Error is not null)
        {
            html.Raw("<b class=\"warn\">⚠ error</b> ").Trimmed(row.Error, whyLength);
        }

        html.Raw(block ? "</span>" : string.Empty);
    }

    private static class Kind
    {
        public const byte Full = 0;
        public const byte Line = 1;
        public const byte Omitted = 2;
    }

    private sealed class Spend(List<RunRow> rows, byte[] kinds)
    {
        public List<RunRow> Rows { get; } = rows;

        public byte[] Kinds { get; } = kinds;

        public int Full { get; set; }

        public int Listed { get; set; }

        public int Omitted { get; set; }
    }
}
