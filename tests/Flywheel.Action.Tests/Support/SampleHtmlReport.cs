using System.Text.Json;
using Flywheel.DevTools;

namespace Flywheel.Action.Tests.Support;

/// <summary>
/// The bundled sample's candidate run reported against its baseline run as HTML, through the real flywheel process,
/// and one headless Chromium (started on first use) for the tests that open it.
/// </summary>
public sealed class SampleHtmlReport : IAsyncLifetime
{
    private readonly SemaphoreSlim _launch = new(1, 1);
    private Chromium? _browser;

    public string Folder { get; } = Directory.CreateTempSubdirectory("flywheel-html-").FullName;

    public string ReportPath => Path.Combine(Folder, "report.html");

    /// <summary>The same comparison as JSON (run.json after <c>report --baseline</c>): what the page must show.</summary>
    public JsonDocument Compared { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var baseline = await FlywheelProcess.RunAsync(RepositoryRoot.Path, "gate", "--responses", "samples/responses/baseline.jsonl", "--out", Path.Combine(Folder, "base"), "--quiet");
        Assert.True(baseline.ExitCode == 0, baseline.ToString());
        var candidate = await FlywheelProcess.RunAsync(RepositoryRoot.Path, "gate", "--out", Path.Combine(Folder, "candidate"), "--quiet");
        Assert.True(candidate.ExitCode == 1, candidate.ToString());

        var html = await FlywheelProcess.RunAsync(Folder, "report", "candidate/run.json", "--baseline", "base/run.json", "--format", "html", "--out", "report.html");
        Assert.True(html.ExitCode == 0, html.ToString());
        var json = await FlywheelProcess.RunAsync(Folder, "report", "candidate/run.json", "--baseline", "base/run.json", "--format", "json", "--out", "compared.json");
        Assert.True(json.ExitCode == 0, json.ToString());
        Compared = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Folder, "compared.json")));
    }

    /// <summary>A new tab on the report (the browser is started once, on the first call).</summary>
    public async Task<DevToolsPage> OpenAsync(string executable, CancellationToken cancellationToken)
    {
        await _launch.WaitAsync(cancellationToken);
        try
        {
            _browser ??= await Chromium.LaunchAsync(executable, cancellationToken);
        }
        finally
        {
            _launch.Release();
        }

        var page = await _browser.NewPageAsync(1400, 1000, cancellationToken);
        await page.NavigateAsync(new Uri(ReportPath), cancellationToken);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        Compared?.Dispose();
        _launch.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
