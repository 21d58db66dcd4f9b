using Flywheel.Action.Tests.Support;

namespace Flywheel.Action.Tests.EndToEnd;

/// <summary><c>flywheel gate --gates-from REF</c>: the command line's way to be judged by another revision's gates, as the action does on a pull request.</summary>
public sealed class GatesFromCommandTests
{
    [Fact]
    public async Task Gates_from_the_base_judge_a_relaxed_suite_and_list_its_changes_in_the_console_and_the_report()
    {
        using var repository = PullRequestRepository.Create(PullRequestRepository.RegressingResponses, headSuite: PullRequestRepository.LenientSuite);
        var outDir = Path.Combine(repository.Root, ".flywheel", "out");

        var own = await FlywheelProcess.RunAsync(repository.Root, "gate", "--baseline-ref", repository.BaseSha, "--progress", "none");
        var trusted = await FlywheelProcess.RunAsync(repository.Root, "gate", "--baseline-ref", repository.BaseSha, "--gates-from", repository.BaseSha, "--format", "console,md", "--progress", "none");

        Assert.True(own.ExitCode == 0, own.ToString());
        Assert.True(trusted.ExitCode == 1, trusted.ToString());
        Assert.Contains($"gates, evaluators, judge and endpoints from {repository.BaseSha}@{repository.BaseSha[..12]}; 2 change(s) take effect after merge:", trusted.Stdout, StringComparison.Ordinal);
        Assert.Contains("  gate intent=* · min_pass_rate: 0.9 -> 0.5", trusted.Stdout, StringComparison.Ordinal);
        var report = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("### Gate changes in this pull request (they take effect after merge)", report, StringComparison.Ordinal);
        Assert.Contains("\"gates_from\"", File.ReadAllText(Path.Combine(outDir, "run.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gates_from_a_revision_this_clone_lacks_exits_2_with_the_fetch_advice()
    {
        using var repository = PullRequestRepository.Create(TempSuite.ValidResponses);

        var result = await FlywheelProcess.RunAsync(repository.Root, "gate", "--gates-from", "origin/main", "--progress", "none");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("error FW4002: 'origin/main' is not in this clone", result.Stderr, StringComparison.Ordinal);
    }
}
