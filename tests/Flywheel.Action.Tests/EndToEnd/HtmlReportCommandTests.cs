using System.Text.RegularExpressions;
using Flywheel.Action.Tests.Support;

namespace Flywheel.Action.Tests.EndToEnd;

/// <summary><c>--format html</c> and <c>--history</c> through the real flywheel process.</summary>
public sealed class HtmlReportCommandTests : IDisposable
{
    private readonly TempSuite _suite = new();

    [Fact]
    public async Task Gate_with_format_html_writes_report_html_beside_run_json()
    {
        var result = await _suite.RunAsync("gate", "--format", "html,md");

        Assert.True(result.ExitCode == 0, result.ToString());
        var html = _suite.Read(".flywheel/out/report.html");
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<h1 id=\"verdict\">Flywheel gate passed: all 3 gate check(s) passed over 3 row(s).</h1>", html, StringComparison.Ordinal);
        Assert.True(File.Exists(_suite.RunJson));
        Assert.True(File.Exists(Path.Combine(_suite.Root, ".flywheel/out/report.md")));
    }

    [Fact]
    public async Task Report_with_history_draws_a_trend_chart_for_every_cohort()
    {
        Assert.Equal(0, (await _suite.RunAsync("gate", "--out", Path.Combine(_suite.Root, "history-runs/v1"), "--quiet")).ExitCode);
        Directory.CreateDirectory(Path.Combine(_suite.Root, "history"));
        File.Move(Path.Combine(_suite.Root, "history-runs/v1/run.json"), Path.Combine(_suite.Root, "history/v1.0.0.json"), overwrite: false);
        Assert.Equal(0, (await _suite.RunAsync("gate", "--quiet")).ExitCode);

        var result = await FlywheelProcess.RunAsync(_suite.Root, "report", ".flywheel/out/run.json", "--history", "history", "--format", "html", "--out", "trend.html");

        Assert.True(result.ExitCode == 0, result.ToString());
        var html = _suite.Read("trend.html");
        var charts = Regex.Matches(html, "<figure><figcaption><code>([^<]+)</code>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["*", "intent=balance", "intent=policy", "locale=en-US", "locale=es-ES"], charts);
        Assert.Contains("<code>v1.0.0</code>", html, StringComparison.Ordinal);
        Assert.Contains("(2 runs)", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_with_history_draws_the_trend_in_its_html_report()
    {
        Assert.Equal(0, (await _suite.RunAsync("gate", "--out", Path.Combine(_suite.Root, "history"), "--quiet")).ExitCode);

        var result = await _suite.RunAsync("gate", "--format", "html", "--history", Path.Combine(_suite.Root, "history"), "--quiet");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("<section id=\"trend\"", _suite.Read(".flywheel/out/report.html"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_history_folder_that_does_not_exist_exits_2_naming_it()
    {
        Assert.Equal(0, (await _suite.RunAsync("gate", "--quiet")).ExitCode);

        var result = await FlywheelProcess.RunAsync(_suite.Root, "report", ".flywheel/out/run.json", "--history", "releases", "--format", "html", "--out", "r.html");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("releases: error FW4004: history folder does not exist", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_suite.Root, "r.html")));
    }

    [Fact]
    public async Task A_malformed_run_in_the_history_folder_exits_2_naming_the_file_and_line()
    {
        Assert.Equal(0, (await _suite.RunAsync("gate", "--quiet")).ExitCode);
        _suite.Write("releases/v1.json", "{\n  \"schema\": \"flywheel.run/v1\",\n  \"rows\": [\n    {\"id\": 1,,}\n  ]\n}\n");

        var result = await FlywheelProcess.RunAsync(_suite.Root, "report", ".flywheel/out/run.json", "--history", "releases", "--format", "html", "--out", "r.html");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{Path.Combine("releases", "v1.json")}(4,", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("error FW4004: history run: not a readable run", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_history_stops_the_gate_before_it_runs()
    {
        var result = await _suite.RunAsync("gate", "--format", "html", "--history", Path.Combine(_suite.Root, "missing"));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("error FW4004: history folder does not exist", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_suite.RunJson));
    }

    [Fact]
    public async Task History_without_the_html_format_is_a_usage_error()
    {
        Assert.Equal(0, (await _suite.RunAsync("gate", "--quiet")).ExitCode);

        var result = await FlywheelProcess.RunAsync(_suite.Root, "report", ".flywheel/out/run.json", "--history", ".", "--format", "md");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("error FW9001: --history draws the trend of the HTML report; add html to --format", result.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _suite.Dispose();
}
