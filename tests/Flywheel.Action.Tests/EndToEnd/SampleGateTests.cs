using System.Text.Json;
using Flywheel.Action.Tests.Support;

namespace Flywheel.Action.Tests.EndToEnd;

/// <summary>The README's first command on the bundled sample, through the real flywheel process.</summary>
public sealed class SampleGateTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("flywheel-sample-").FullName;

    [Fact]
    public async Task Candidate_responses_fail_exactly_the_wire_transfer_and_mortgage_payoff_gates()
    {
        var result = await FlywheelProcess.RunAsync(RepositoryRoot.Path, "gate", "--out", _out, "--format", "console,md,junit");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("✗ failed       intent=wire_transfer", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("✗ failed       intent=mortgage_payoff", result.Stdout, StringComparison.Ordinal);
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "run.json")));
        Assert.Equal("failed", run.RootElement.GetProperty("verdict").GetString());
        var failedCohorts = run.RootElement.GetProperty("gates").EnumerateArray()
            .Where(g => g.GetProperty("status").GetString() != "passed" && g.GetProperty("blocking").GetBoolean())
            .Select(g => g.GetProperty("cohort").GetString())
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(["intent=mortgage_payoff", "intent=wire_transfer"], failedCohorts);
        Assert.True(File.Exists(Path.Combine(_out, "report.md")));
        Assert.True(File.Exists(Path.Combine(_out, "junit.xml")));
    }

    [Fact]
    public async Task Baseline_responses_pass_every_gate()
    {
        var result = await FlywheelProcess.RunAsync(RepositoryRoot.Path, "gate", "--responses", "samples/responses/baseline.jsonl", "--out", _out);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Flywheel gate passed", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sample_suite_validates_cleanly()
    {
        var result = await FlywheelProcess.RunAsync(RepositoryRoot.Path, "validate");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("error", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Candidate_against_the_baseline_run_lists_regressions_and_fails_max_drop()
    {
        var baselineOut = Path.Combine(_out, "base");
        var baseline = await FlywheelProcess.RunAsync(RepositoryRoot.Path, "gate", "--responses", "samples/responses/baseline.jsonl", "--out", baselineOut, "--quiet");
        Assert.True(baseline.ExitCode == 0, baseline.ToString());

        var result = await FlywheelProcess.RunAsync(RepositoryRoot.Path, "gate", "--baseline", Path.Combine(baselineOut, "run.json"), "--out", _out, "--format", "console,md");

        Assert.True(result.ExitCode == 1, result.ToString());
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "run.json")));
        var regressions = run.RootElement.GetProperty("regressions").EnumerateArray().ToList();
        Assert.NotEmpty(regressions);
        Assert.All(regressions, r => Assert.Matches("^(wire-transfer|mortgage-payoff)-", r.GetProperty("id").GetString()!));
        Assert.Contains(run.RootElement.GetProperty("gates").EnumerateArray(), g => g.GetProperty("cohort").GetString() == "*" && g.GetProperty("status").GetString() == "failed");
        Assert.Contains("### Regressions", File.ReadAllText(Path.Combine(_out, "report.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_renders_markdown_from_run_json_without_rerunning()
    {
        var baselineOut = Path.Combine(_out, "base");
        await FlywheelProcess.RunAsync(RepositoryRoot.Path, "gate", "--responses", "samples/responses/baseline.jsonl", "--out", baselineOut, "--quiet");
        await FlywheelProcess.RunAsync(RepositoryRoot.Path, "gate", "--out", _out, "--quiet");
        var report = Path.Combine(_out, "comparison.md");

        var result = await FlywheelProcess.RunAsync(_out, "report", "run.json", "--baseline", Path.Combine(baselineOut, "run.json"), "--format", "md", "--out", report);

        Assert.True(result.ExitCode == 0, result.ToString());
        var md = File.ReadAllText(report);
        Assert.StartsWith("<!-- flywheel-report -->", md, StringComparison.Ordinal);
        Assert.Contains("### Regressions", md, StringComparison.Ordinal);
        Assert.Contains("| baseline | Δ |", md, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_out, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
