using System.Text;
using System.Text.RegularExpressions;
using Flywheel.Evals.Reports;
using Flywheel.Evals.Runs;
using Flywheel.Evals.Tests.Support;

namespace Flywheel.Evals.Tests.Reports;

public sealed class HtmlReportTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Verdict_and_failed_gates_come_before_the_cohort_table_and_the_failures()
    {
        using var suite = new DemoSuite();
        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root, Responses = suite.PathOf("bad.jsonl") }, Token);

        var html = await Render(new HtmlReport(), result.Run);

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<h1 id=\"verdict\">Flywheel gate failed: 2 of 3 gate check(s) failed (intent=pay, intent=wire).</h1>", html, StringComparison.Ordinal);
        var order = new[] { "id=\"verdict\"", "id=\"failed-gates\"", "id=\"cohort-table\"", "id=\"failures\"", "id=\"provenance\"" }
            .Select(marker => html.IndexOf(marker, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order().ToList(), order);
        Assert.Equal(["intent=pay", "intent=wire"], Regex.Matches(html, "<tr data-cohort=\"([^\"]+)\" data-evaluator=\"\\*\">").Select(m => m.Groups[1].Value).ToList());
    }

    [Fact]
    public async Task Every_cohort_gets_one_row_with_its_interval_band_and_gate_minimum()
    {
        using var suite = new DemoSuite();
        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root, Responses = suite.PathOf("bad.jsonl") }, Token);

        var html = await Render(new HtmlReport(), result.Run);

        var cohorts = result.Run.Cohorts.Where(c => c.Evaluator == "*").Select(c => c.Cohort).ToList();
        var rows = Regex.Matches(html, "<tr id=\"c-\\d+\"[^>]*><th scope=\"row\"><code>([^<]+)</code>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(cohorts, rows);
        var pay = Row(html, "intent=pay");
        Assert.Contains("<span class=\"st bad\">✗ failed</span>", pay, StringComparison.Ordinal);
        Assert.Contains("<i class=\"th\" style=\"left:90%\" title=\"gate minimum 90.0%\"></i>", pay, StringComparison.Ordinal);
        Assert.Matches("<i class=\"ci\" style=\"left:[0-9.]+%;width:[0-9.]+%\"></i><i class=\"pt\" style=\"left:50%\">", pay);
        Assert.Contains("50.0%", pay, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"pass rate 50.0% of 2 rows, 95% interval", pay, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deltas_against_the_baseline_carry_an_arrow_and_a_signed_figure()
    {
        using var suite = new DemoSuite();
        var baselinePath = suite.PathOf("out/baseline.json");
        await using (var baseline = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root }, Token))
        {
            await RunJson.WriteFileAsync(baseline.Run, baselinePath, Token);
        }

        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root, Responses = suite.PathOf("bad.jsonl"), Baseline = baselinePath }, Token);
        var html = await Render(new HtmlReport(), result.Run);

        Assert.Contains("<td class=\"n d-down\" data-v=\"-0.5\">▼ −50.0 pt</td>", Row(html, "intent=pay"), StringComparison.Ordinal);
        Assert.Contains("<td class=\"n d-down\" data-v=\"-1\">▼ −100.0 pt</td>", Row(html, "intent=wire"), StringComparison.Ordinal);
        // An evaluator that did not move shows no delta in its narrow cell; one that did shows it with its arrow.
        Assert.DoesNotContain("0.0 pt", Cell(Row(html, "intent=pay"), "answer"), StringComparison.Ordinal);
        Assert.Contains("▼ −50.0 pt", Cell(Row(html, "intent=pay"), "grounded"), StringComparison.Ordinal);
        // The max_drop gate of * draws its limit (baseline minus the allowed drop) as a dashed mark.
        Assert.Contains("<i class=\"th drop\" style=\"left:98%\"", Row(html, "*"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Regressions_are_listed_before_other_failures_and_expand_to_every_detail()
    {
        using var suite = new DemoSuite();
        var baselinePath = suite.PathOf("out/baseline.json");
        await using (var baseline = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root }, Token))
        {
            await RunJson.WriteFileAsync(baseline.Run, baselinePath, Token);
        }

        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root, Responses = suite.PathOf("bad.jsonl"), Baseline = baselinePath }, Token);
        var html = await Render(new HtmlReport(), result.Run);

        var regressions = Section(html, "regressions");
        var others = Section(html, "failures");
        Assert.Equal(["pay-0001", "wire-0001"], Ids(regressions));
        Assert.Equal(["pay-0003"], Ids(others));
        Assert.Contains("pending review · not gating", others, StringComparison.Ordinal);
        Assert.True(html.IndexOf("id=\"regressions\"", StringComparison.Ordinal) < html.IndexOf("id=\"failures\"", StringComparison.Ordinal));

        var pay = regressions[regressions.IndexOf("pay-0001", StringComparison.Ordinal)..];
        pay = pay[..(pay.IndexOf("</details>", StringComparison.Ordinal) + 10)];
        Assert.Equal(["Row", "Input", "Context", "Expected", "Response", "Evaluators"], Regex.Matches(pay, "<dt>([^<]+)</dt>").Select(m => m.Groups[1].Value).ToList());
        Assert.Contains("Payoff quote for loan L-1: $1,200.00, valid until Nov 30.", pay, StringComparison.Ordinal);
        Assert.Contains("<code>get_payoff_quote(loan_id=L-1)</code>", pay, StringComparison.Ordinal);
        Assert.Contains("Your payoff amount is $1,235.00, including a $35 fee, valid until Nov 30.", pay, StringComparison.Ordinal);
        Assert.Contains("<span class=\"st bad\">✗ failed</span> <b>grounded</b>", pay, StringComparison.Ordinal);
        Assert.Contains("<span class=\"st ok\">✓ passed</span> <b>answer</b>", pay, StringComparison.Ordinal);
        Assert.Contains("<span class=\"st ok\">✓ passed</span> <b>tools</b>", pay, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Markup_in_row_text_and_tags_is_encoded_never_interpreted()
    {
        using var suite = new GeneratedSuite(
        [
            new GeneratedRow("a", Right: false, Input: "<script>window.pwned = 1</script> what?", Context: "<img src=x onerror=\"window.pwned = 2\"> & more",
                Output: "</p></details><script>window.pwned = 3</script>"),
            new GeneratedRow("b\" onmouseover=\"window.pwned = 4", Right: false, Locale: "en'US<b>"),
        ]);
        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root }, Token);

        var html = await Render(new HtmlReport(), result.Run);

        Assert.Equal(1, Regex.Count(html, "<script", RegexOptions.IgnoreCase)); // the report's own
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onmouseover=\"", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;window.pwned = 1&lt;/script&gt; what?", html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=\"window.pwned = 2\"&gt; &amp; more", html, StringComparison.Ordinal);
        Assert.Contains("&lt;/p&gt;&lt;/details&gt;&lt;script&gt;window.pwned = 3&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("data-k=\"intent=b&quot; onmouseover=&quot;window.pwned = 4", html, StringComparison.Ordinal);
        Assert.Contains("locale=en&#39;us&lt;b&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_references_nothing_outside_itself()
    {
        using var suite = new DemoSuite();
        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root, Responses = suite.PathOf("bad.jsonl") }, Token);

        var html = await Render(new HtmlReport(), result.Run);

        Assert.Contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:;", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf("Content-Security-Policy", StringComparison.Ordinal) < html.IndexOf("<style>", StringComparison.Ordinal), "the policy must come before anything it governs");
        var references = Regex.Matches(html, "\\b(?:src|href|action|xlink:href)\\s*=\\s*\"([^\"]*)\"", RegexOptions.IgnoreCase).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.True(r.StartsWith('#') || r.StartsWith("data:", StringComparison.Ordinal), $"reference to {r}"));
        Assert.DoesNotContain("url(", html, StringComparison.Ordinal);
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Insufficient_cohorts_are_flagged_in_words_as_failure_or_warning()
    {
        var rows = new List<GeneratedRow> { new("a", true), new("a", true), new("b", true), new("b", true), new("b", true) };
        using var blocking = new GeneratedSuite(rows, """[{"cohort": "intent=*", "min_pass_rate": 0.5, "min_rows": 3}]""");
        using var warning = new GeneratedSuite(rows, """[{"cohort": "intent=*", "min_pass_rate": 0.5, "min_rows": 3, "on_insufficient": "warn"}]""");
        await using var blocked = await SuiteRunner.RunAsync(new RunOptions { Root = blocking.Root }, Token);
        await using var warned = await SuiteRunner.RunAsync(new RunOptions { Root = warning.Root }, Token);

        var failed = Row(await Render(new HtmlReport(), blocked.Run), "intent=a");
        var warn = Row(await Render(new HtmlReport(), warned.Run), "intent=a");

        Assert.Contains("<span class=\"st bad\">✗ insufficient</span>", failed, StringComparison.Ordinal);
        Assert.Contains("2 &lt; 3 rows", failed, StringComparison.Ordinal);
        Assert.Contains("<span class=\"st warn\">⚠ insufficient (warning)</span>", warn, StringComparison.Ordinal);
        Assert.Contains("✓ passed", Row(await Render(new HtmlReport(), warned.Run), "intent=b"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rows_past_the_allowance_are_listed_in_one_line_then_counted_with_a_pointer_to_run_json()
    {
        using var suite = GeneratedSuite.WithFailures(total: 60, failing: 40);
        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root }, Token);
        var failures = new HtmlFailureList(result.Run);
        Assert.Equal(40, failures.Total);

        var everything = await Failures(failures, allowance: 10_000_000);
        var nothing = await Failures(failures, allowance: 0);
        var some = await Failures(failures, allowance: everything.Length / 2);

        Assert.Equal(40, Count(everything, "<details class=\"f\">"));
        Assert.DoesNotContain("budget-note", everything, StringComparison.Ordinal);

        Assert.Equal(0, Count(nothing, "<details class=\"f\">") + Count(nothing, "<li><code>"));
        Assert.Contains("<strong>0 of 40 failing rows are shown in full</strong>; <strong>40 more are not on this page</strong>", nothing, StringComparison.Ordinal);
        Assert.Contains("Every failing row is in full in <code>run.json</code>", nothing, StringComparison.Ordinal);

        var full = Count(some, "<details class=\"f\">");
        var listed = Count(some, "<li><code>");
        Assert.InRange(full, 1, 39);
        Assert.Equal(40, full + listed); // the one-line entries of every remaining row fit: each row is at least named
        Assert.Contains($"<strong>{full} of 40 failing rows are shown in full</strong>; {listed} more are listed in one line each.", some, StringComparison.Ordinal);
        var ids = Regex.Matches(some, "<code>(r-\\d+)</code>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal).ToList(), ids); // "the first N" in full, the rest after them, in order
        Assert.True(Encoding.UTF8.GetByteCount(some) <= (everything.Length / 2) + 4_000, "the rows stay within their allowance");

        // Too little room even for a line per row: lines take at most their share, the rest is counted, not dropped silently.
        var little = await Failures(failures, allowance: everything.Length / 8);
        var (fullLittle, listedLittle) = (Count(little, "<details class=\"f\">"), Count(little, "<li><code>"));
        Assert.InRange(listedLittle, 1, 39 - fullLittle);
        Assert.Contains($"<strong>{40 - fullLittle - listedLittle} more are not on this page</strong>", little, StringComparison.Ordinal);
        Assert.Contains("not on this page</strong>: see <code>run.json</code>", little, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_is_handed_to_the_writer_in_bounded_chunks()
    {
        using var suite = new GeneratedSuite(Enumerable.Range(0, 40).Select(i => new GeneratedRow("a", false, Context: new string('x', 20_000))).ToList());
        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root }, Token);
        await using var writer = new RecordingWriter();

        await new HtmlReport().WriteAsync(result.Run, writer, Token);

        Assert.True(writer.Total > 800_000, $"only {writer.Total} characters");
        Assert.InRange(writer.Largest, 1, 100_000);
    }

    [Fact]
    public async Task Trend_draws_one_chart_per_cohort_with_each_runs_minimum()
    {
        using var suite = new DemoSuite();
        await using var good = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root }, Token);
        await using var bad = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root, Responses = suite.PathOf("bad.jsonl") }, Token);
        var history = RunHistory.Of(
        [
            new RunHistoryEntry("v2.0.0", "h/v2.0.0.json", good.Run with { StartedAt = "2026-10-01T00:00:00Z" }, 4),
            new RunHistoryEntry("v1.0.0", "h/v1.0.0.json", good.Run with { StartedAt = "2026-09-01T00:00:00Z" }, 4),
            new RunHistoryEntry("same", "h/same.json", bad.Run, 4), // the current run itself, kept in the folder: not drawn twice
        ]);

        var html = await Render(new HtmlReport(history), bad.Run);

        var trend = Section(html, "trend");
        var cohorts = bad.Run.Cohorts.Where(c => c.Evaluator == "*").Select(c => c.Cohort).ToList();
        Assert.Equal(cohorts, Regex.Matches(trend, "<figure><figcaption><code>([^<]+)</code>").Select(m => m.Groups[1].Value).ToList());
        Assert.Contains("(3 runs)", trend, StringComparison.Ordinal);
        Assert.True(trend.IndexOf("v1.0.0", StringComparison.Ordinal) < trend.IndexOf("v2.0.0", StringComparison.Ordinal), "oldest first");
        var pay = trend[trend.IndexOf("<code>intent=pay</code>", StringComparison.Ordinal)..];
        pay = pay[..pay.IndexOf("</figure>", StringComparison.Ordinal)];
        Assert.Contains("aria-label=\"intent=pay pass rate by run: v1.0.0 100.0%, v2.0.0 100.0%, this run 50.0%\"", pay, StringComparison.Ordinal);
        Assert.Contains("stroke-dasharray=\"4 3\"", pay, StringComparison.Ordinal);
        Assert.Contains("<title>this run: 50.0% (minimum 90.0%)</title>", pay, StringComparison.Ordinal);
        Assert.Contains("100.0% → 50.0% ✗", pay, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_report_is_a_registered_format()
    {
        var report = Assert.IsType<HtmlReport>(RunReports.Find("html"));
        Assert.Equal("report.html", report.FileName);
    }

    private static async Task<string> Render(IRunReport report, Run run)
    {
        await using var writer = new StringWriter();
        await report.WriteAsync(run, writer, Token);
        return writer.ToString();
    }

    private static async Task<string> Failures(HtmlFailureList failures, long allowance)
    {
        await using var writer = new StringWriter();
        var html = new HtmlWriter();
        await failures.WriteAsync(html, writer, allowance, HtmlBudget.Default.ListShare, Token);
        await html.FlushAsync(writer, Token, force: true);
        return writer.ToString();
    }

    private static string Row(string html, string cohort)
    {
        var start = html.IndexOf($"><th scope=\"row\"><code>{cohort}</code>", StringComparison.Ordinal);
        Assert.True(start > 0, $"no row for {cohort}");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    // The cell of an evaluator in a cohort row: its aria-label names the evaluator.
    private static string Cell(string row, string evaluator)
    {
        var start = row.IndexOf($"aria-label=\"{evaluator} ", StringComparison.Ordinal);
        Assert.True(start > 0, $"no {evaluator} cell");
        var cellStart = row.LastIndexOf("<td", start, StringComparison.Ordinal);
        return row[cellStart..row.IndexOf("</td>", start, StringComparison.Ordinal)];
    }

    private static string Section(string html, string id)
    {
        var start = html.IndexOf($"<section id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section {id}");
        return html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    private static List<string> Ids(string section) =>
        Regex.Matches(section, "<summary><code>([^<]+)</code>").Select(m => m.Groups[1].Value).ToList();

    private static int Count(string text, string what) => Regex.Count(text, Regex.Escape(what));

    private sealed class RecordingWriter : StringWriter
    {
        public int Largest { get; private set; }

        public long Total { get; private set; }

        public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
        {
            Largest = Math.Max(Largest, buffer.Length);
            Total += buffer.Length;
            return Task.CompletedTask;
        }

        public override void Write(char value) => throw new InvalidOperationException("the report writes in chunks, not characters");
    }
}
