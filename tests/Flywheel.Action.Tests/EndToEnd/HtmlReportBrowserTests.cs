using System.Text.Json;
using Flywheel.Action.Tests.Support;
using Flywheel.DevTools;

namespace Flywheel.Action.Tests.EndToEnd;

/// <summary>The HTML report of the sample's candidate run against its baseline, opened in headless Chromium and read through its DOM.</summary>
public sealed class HtmlReportBrowserTests(SampleHtmlReport report) : IClassFixture<SampleHtmlReport>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Verdict_failed_gates_and_one_row_per_cohort_are_on_the_page()
    {
        var page = await report.OpenAsync(BrowserRequirement.Chromium(), Token);
        var run = report.Compared.RootElement;

        Assert.Equal("failed", run.GetProperty("verdict").GetString());
        Assert.Equal("FAILED", await Text(page, "document.getElementById('verdict-badge').textContent"));
        var verdict = await Text(page, "document.getElementById('verdict').textContent");
        Assert.StartsWith("Flywheel gate failed: 4 of 7 gate check(s) failed", verdict, StringComparison.Ordinal);
        Assert.Contains("intent=wire_transfer", verdict, StringComparison.Ordinal);
        Assert.Contains("intent=mortgage_payoff", verdict, StringComparison.Ordinal);

        var cohorts = run.GetProperty("cohorts").EnumerateArray().Where(c => c.GetProperty("evaluator").GetString() == "*")
            .Select(c => c.GetProperty("cohort").GetString()!).ToList();
        var rows = await Strings(page, "[...document.querySelectorAll('#cohort-rows > tr > th code')].map(e => e.textContent)");
        Assert.Equal(cohorts, rows);
        Assert.Equal(24, rows.Count);

        var failedGates = run.GetProperty("gates").EnumerateArray()
            .Where(g => g.GetProperty("status").GetString() is "failed" or "insufficient")
            .Select(g => $"{g.GetProperty("cohort").GetString()} {g.GetProperty("evaluator").GetString()}").Order(StringComparer.Ordinal).ToList();
        var shownGates = (await Strings(page, "[...document.querySelectorAll('#failed-gates tbody tr')].map(r => r.dataset.cohort + ' ' + r.dataset.evaluator)"))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["* *", "intent=mortgage_payoff *", "intent=mortgage_payoff *", "intent=wire_transfer *"], failedGates);
        Assert.Equal(failedGates, shownGates);

        // Each failing cohort's row says so in words, not only in colour.
        var status = await Text(page, "[...document.querySelectorAll('#cohort-rows > tr')].find(r => r.querySelector('th code').textContent === 'intent=wire_transfer').cells[1].textContent");
        Assert.Equal("✗ failed", status);
        AssertClean(page);
    }

    [Fact]
    public async Task Page_logs_no_error_and_requests_nothing_but_itself()
    {
        var page = await report.OpenAsync(BrowserRequirement.Chromium(), Token);
        await page.ClickAsync("button[data-expand=open]", Token);
        await page.EvaluateAsync("new Promise(r => setTimeout(r, 200))", Token);

        var csp = await Text(page, "document.querySelector('meta[http-equiv=Content-Security-Policy]').content");
        Assert.StartsWith("default-src 'none';", csp, StringComparison.Ordinal);
        Assert.Equal(0, (await page.EvaluateAsync("document.querySelectorAll('script[src], link[rel=stylesheet], img:not([src^=\"data:\"]), iframe, object, embed').length", Token)).GetInt32());
        Assert.NotEmpty(page.Requests);
        AssertClean(page);
    }

    [Fact]
    public async Task Clicking_the_pass_rate_heading_sorts_cohorts_up_then_down()
    {
        var page = await report.OpenAsync(BrowserRequirement.Chromium(), Token);
        const string rates = "[...document.querySelectorAll('#cohort-rows > tr')].map(r => parseFloat(r.cells[3].dataset.v))";

        await page.ClickAsync("#cohort-table thead th:nth-child(4) button", Token);
        var ascending = await Numbers(page, rates);
        await page.ClickAsync("#cohort-table thead th:nth-child(4) button", Token);
        var descending = await Numbers(page, rates);

        Assert.Equal(24, ascending.Count);
        Assert.Equal(ascending.Order().ToList(), ascending);
        Assert.Equal(0.0, ascending[0]);
        Assert.Equal(descending.OrderDescending().ToList(), descending);
        Assert.Equal(1.0, descending[0]);
        Assert.Equal("descending", await Text(page, "document.querySelector('#cohort-table thead th:nth-child(4)').getAttribute('aria-sort')"));
        AssertClean(page);
    }

    [Fact]
    public async Task Typing_in_the_filter_box_leaves_only_matching_cohorts()
    {
        var page = await report.OpenAsync(BrowserRequirement.Chromium(), Token);

        await page.ClickAsync("#cohort-filter", Token);
        await page.TypeAsync("wire", Token);
        await page.EvaluateAsync("new Promise(r => setTimeout(r, 50))", Token);

        var visible = await Strings(page, "[...document.querySelectorAll('#cohort-rows > tr:not([hidden]) th code')].map(e => e.textContent)");
        Assert.Equal(["intent=wire_transfer", "product=wire", "tool_path=get_wire_status", "tool_path=initiate_wire_transfer", "tool_path=verify_identity+initiate_wire_transfer"], visible);
        Assert.Equal("5 of 24 cohorts", await Text(page, "document.querySelector('[data-filter-for=cohort-rows] output').textContent"));
        AssertClean(page);
    }

    [Fact]
    public async Task A_regression_expands_to_everything_a_reviewer_needs_and_a_cohort_link_filters_failures()
    {
        var page = await report.OpenAsync(BrowserRequirement.Chromium(), Token);
        var regressions = report.Compared.RootElement.GetProperty("regressions").EnumerateArray().Select(r => r.GetProperty("id").GetString()).Distinct().Count();
        Assert.Equal(regressions, (await page.EvaluateAsync("document.querySelectorAll('#regressions details.f').length", Token)).GetInt32());

        await page.ClickAsync("#regressions details.f:nth-of-type(1) > summary", Token);
        Assert.True((await page.EvaluateAsync("document.querySelector('#regressions details.f').open", Token)).GetBoolean());
        var terms = await Strings(page, "[...document.querySelector('#regressions details.f').querySelectorAll('dt')].map(e => e.textContent)");
        Assert.Equal(["Row", "Input", "Context", "Expected", "Response", "Evaluators"], terms);
        var body = await Text(page, "document.querySelector('#regressions details.f dl').textContent");
        Assert.Contains("mortgage-payoff-0001", await Text(page, "document.querySelector('#regressions details.f summary').textContent"), StringComparison.Ordinal);
        Assert.Contains("$35 processing fee", body, StringComparison.Ordinal);
        Assert.Contains("✗ failed grounded", body, StringComparison.Ordinal);
        Assert.Contains("✓ passed answer", body, StringComparison.Ordinal);

        // The wire-transfer cohort's "not passing" link narrows the failing rows to that cohort.
        await page.ClickAsync("#cohort-rows a.fl-link[data-q='\"intent=wire_transfer\"']", Token);
        var shown = await Strings(page, "[...document.querySelectorAll('#failing details.f:not([hidden]) summary code')].map(e => e.textContent)");
        Assert.Equal(12, shown.Count);
        Assert.All(shown, id => Assert.StartsWith("wire-transfer-", id, StringComparison.Ordinal));

        // The artifact: the page as a release manager sees it, one regression open, filters cleared.
        await page.EvaluateAsync("document.querySelector('[data-filter-for=failing]').runFilter(''); window.scrollTo(0, 0)", Token);
        var png = await page.ScreenshotAsync(fullPage: true, Token);
        await File.WriteAllBytesAsync(BrowserRequirement.ArtifactPath("report.png"), png, Token);
        Assert.True(png.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']), "not a PNG");
        Assert.True(png.Length > 50_000, $"screenshot of {png.Length} bytes is too small to show the page");
        AssertClean(page);
    }

    [Fact]
    public async Task Printed_page_drops_the_controls_and_keeps_verdict_tables_and_open_rows()
    {
        var page = await report.OpenAsync(BrowserRequirement.Chromium(), Token);
        await page.ClickAsync("#regressions details.f:nth-of-type(1) > summary", Token);

        await page.EmulateMediaAsync("print", Token);
        var shown = await Strings(page, """
            ['#verdict', '#failed-gates', '#cohort-table', '#regressions details.f[open] dl', '#provenance', 'form.controls', 'nav.toc', 'a.fl-link']
              .map(s => document.querySelector(s)).map(e => getComputedStyle(e).display === 'none' ? 'hidden' : 'shown')
            """);
        var stickyHeader = await Text(page, "getComputedStyle(document.querySelector('#cohort-table thead th')).position");
        await page.EmulateMediaAsync(string.Empty, Token);

        Assert.Equal(["shown", "shown", "shown", "shown", "shown", "hidden", "hidden", "hidden"], shown);
        Assert.Equal("static", stickyHeader);
        AssertClean(page);
    }

    private static void AssertClean(DevToolsPage page)
    {
        Assert.Empty(page.Errors);
        Assert.All(page.Requests, url => Assert.True(url.StartsWith("file:", StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal), $"the page requested {url}"));
    }

    private static async Task<string> Text(DevToolsPage page, string expression) =>
        (await page.EvaluateAsync(expression, Token)).GetString()?.Trim() ?? string.Empty;

    private static async Task<List<string>> Strings(DevToolsPage page, string expression) =>
        (await page.EvaluateAsync(expression, Token)).EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList();

    private static async Task<List<double>> Numbers(DevToolsPage page, string expression) =>
        (await page.EvaluateAsync(expression, Token)).EnumerateArray().Select(e => e.GetDouble()).ToList();
}
