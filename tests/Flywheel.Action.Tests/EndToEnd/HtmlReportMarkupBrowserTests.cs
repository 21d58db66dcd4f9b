using Flywheel.Action.Tests.Support;
using Flywheel.DevTools;

namespace Flywheel.Action.Tests.EndToEnd;

/// <summary>Rows carry arbitrary text: in the browser, markup in it must stay text — nothing runs, nothing loads.</summary>
public sealed class HtmlReportMarkupBrowserTests : IDisposable
{
    private readonly TempSuite _suite = new();

    [Fact]
    public async Task Script_and_image_markup_in_rows_show_as_text_and_never_run_or_load()
    {
        var chromium = BrowserRequirement.Chromium();
        _suite.Write("datasets/demo/rows.jsonl", """
            {"id":"x-0001","tags":{"intent":"x<script>window.pwned='tag'</script>","locale":"en-US"},"input":[{"role":"user","content":"<script>window.pwned='input'</script>What is my balance?"}],"context":[{"id":"c","text":"<img src=\"https://example.invalid/pixel.png\" onerror=\"window.pwned='context'\">Balance: $5."}],"expected":{"answers":["Your balance is $5."]}}

            """);
        _suite.Write("responses.jsonl", """
            {"id":"x-0001","output":"</p></details><script>window.pwned='output'</script><a href=\"https://example.invalid/\">click</a>","model":"m"}

            """);
        var gate = await _suite.RunAsync("gate", "--format", "html", "--quiet");
        Assert.True(gate.ExitCode == 1, gate.ToString());

        await using var browser = await Chromium.LaunchAsync(chromium, TestContext.Current.CancellationToken);
        var page = await browser.NewPageAsync(1280, 900, TestContext.Current.CancellationToken);
        await page.NavigateAsync(new Uri(Path.Combine(_suite.Root, ".flywheel/out/report.html")), TestContext.Current.CancellationToken);
        await page.ClickAsync("button[data-expand=open]", TestContext.Current.CancellationToken);
        await page.EvaluateAsync("new Promise(r => setTimeout(r, 300))", TestContext.Current.CancellationToken);

        Assert.Equal("undefined", (await page.EvaluateAsync("typeof window.pwned", TestContext.Current.CancellationToken)).GetString());
        Assert.Equal(1, (await page.EvaluateAsync("document.scripts.length", TestContext.Current.CancellationToken)).GetInt32());
        Assert.Equal(0, (await page.EvaluateAsync("document.querySelectorAll('img, a[href^=http]').length", TestContext.Current.CancellationToken)).GetInt32());
        var entry = (await page.EvaluateAsync("document.querySelector('details.f').textContent", TestContext.Current.CancellationToken)).GetString()!;
        Assert.Contains("<script>window.pwned='input'</script>What is my balance?", entry, StringComparison.Ordinal);
        Assert.Contains("<img src=\"https://example.invalid/pixel.png\" onerror=\"window.pwned='context'\">Balance: $5.", entry, StringComparison.Ordinal);
        Assert.Contains("</p></details><script>window.pwned='output'</script>", entry, StringComparison.Ordinal);
        Assert.Empty(page.Errors);
        Assert.All(page.Requests, url => Assert.StartsWith("file:", url, StringComparison.Ordinal));
    }

    public void Dispose() => _suite.Dispose();
}
