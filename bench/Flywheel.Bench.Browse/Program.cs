using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Flywheel.DevTools;

// Opens an HTML report in headless Chromium and times what a release manager does with it, in the page's own clock:
// load, sort the cohort table, filter the cohorts and the failing rows, expand every row shown in full.
//   flywheel-bench-browse --report report.html [--screenshot out.png] [--runs 3]
string? report = null;
string? screenshot = null;
var runs = 3;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--report" when i + 1 < args.Length: report = args[++i]; break;
        case "--screenshot" when i + 1 < args.Length: screenshot = args[++i]; break;
        case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var r) && r > 0: runs = r; i++; break;
        default: Console.Error.WriteLine("usage: flywheel-bench-browse --report FILE [--screenshot PNG] [--runs N]"); return 2;
    }
}

if (report is null || !File.Exists(report))
{
    Console.Error.WriteLine($"flywheel-bench-browse: no report file '{report}'");
    return 2;
}

var executable = Chromium.Find();
if (executable is null)
{
    Console.Error.WriteLine("flywheel-bench-browse: chromium not found (install Debian's chromium or set FLYWHEEL_CHROMIUM)");
    return 2;
}

using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
var token = timeout.Token;
await using var browser = await Chromium.LaunchAsync(executable, token);
var url = new Uri(Path.GetFullPath(report));

// A frame after the action: what the reader waits for (script, style, layout and paint of the change).
const string Frame = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))";
string Timed(string action) => $"(async () => {{ const t = performance.now(); {action}; await {Frame}; return performance.now() - t; }})()";

var results = new Dictionary<string, List<double>>(StringComparer.Ordinal);
void Add(string name, double ms)
{
    if (!results.TryGetValue(name, out var list))
    {
        results[name] = list = [];
    }

    list.Add(ms);
}

DevToolsPage? last = null;
for (var run = 1; run <= runs; run++)
{
    var page = await browser.NewPageAsync(1400, 1000, token);
    var clock = Stopwatch.StartNew();
    await page.NavigateAsync(url, token);
    await page.EvaluateAsync(Frame, token);
    Add("open: navigate to first frame after load (wall)", clock.Elapsed.TotalMilliseconds);
    var timing = await page.EvaluateAsync("(() => { const n = performance.getEntriesByType('navigation')[0]; const p = performance.getEntriesByName('first-contentful-paint')[0]; return [n.domContentLoadedEventEnd, n.loadEventEnd, p ? p.startTime : -1]; })()", token);
    Add("DOMContentLoaded", timing[0].GetDouble());
    Add("load event end", timing[1].GetDouble());
    Add("first contentful paint", timing[2].GetDouble());
    Add("sort cohorts by pass rate", (await page.EvaluateAsync(Timed("document.querySelector('#cohort-table thead th:nth-child(4) button').click()"), token)).GetDouble());
    Add("sort cohorts by cohort name", (await page.EvaluateAsync(Timed("document.querySelector('#cohort-table thead th:nth-child(1) button').click()"), token)).GetDouble());
    Add("filter cohorts ('intent')", (await page.EvaluateAsync(Timed("document.querySelector('[data-filter-for=cohort-rows]').runFilter('intent')"), token)).GetDouble());
    var hasFailures = (await page.EvaluateAsync("!!document.querySelector('[data-filter-for=failing]')", token)).GetBoolean();
    if (hasFailures)
    {
        Add("filter failing rows (one cohort)", (await page.EvaluateAsync(Timed("document.querySelector('[data-filter-for=failing]').runFilter('\"intent=mortgage_payoff\"')"), token)).GetDouble());
        Add("clear the failing-row filter", (await page.EvaluateAsync(Timed("document.querySelector('[data-filter-for=failing]').runFilter('')"), token)).GetDouble());
        Add("expand every row shown in full", (await page.EvaluateAsync(Timed("document.querySelector('button[data-expand=open]').click()"), token)).GetDouble());
        Add("collapse them again", (await page.EvaluateAsync(Timed("document.querySelector('button[data-expand=close]').click()"), token)).GetDouble());
    }

    Add("scroll to the end and paint", (await page.EvaluateAsync(Timed("window.scrollTo(0, document.body.scrollHeight)"), token)).GetDouble());
    last = page;
}

var facts = await last!.EvaluateAsync("[document.getElementsByTagName('*').length, document.querySelectorAll('details.f').length, document.querySelectorAll('ul.more li').length, document.getElementById('cohort-rows').rows.length]", token);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"page: {new FileInfo(report).Length / 1e6:0.00} MB, {facts[0].GetInt32():#,0} elements, {facts[3].GetInt32()} cohort rows, {facts[1].GetInt32():#,0} failing rows in full, {facts[2].GetInt32():#,0} listed in one line"));
Console.WriteLine($"median of {runs} page load(s), Chromium {executable}, headless; milliseconds:");
foreach (var (name, values) in results)
{
    var sorted = values.Order().ToList();
    var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-48} {median,8:0}   (max {sorted[^1]:0})"));
}

var errors = last.Errors;
var requests = last.Requests.Where(u => !u.StartsWith("file:", StringComparison.Ordinal) && !u.StartsWith("data:", StringComparison.Ordinal)).ToList();
Console.WriteLine($"console errors: {errors.Count}; requests other than the file itself: {requests.Count}");
foreach (var line in errors.Concat(requests).Take(10))
{
    Console.WriteLine("  " + line);
}

if (screenshot is not null)
{
    var fresh = await browser.NewPageAsync(1400, 1000, token);
    await fresh.NavigateAsync(url, token);
    await File.WriteAllBytesAsync(screenshot, await fresh.ScreenshotAsync(fullPage: false, token), token);
    Console.WriteLine($"screenshot (first screen): {screenshot}");
}

return errors.Count == 0 && requests.Count == 0 ? 0 : 1;
