using Flywheel.Action.Tests.Support;

namespace Flywheel.Action.Tests.GitHub;

/// <summary>The step's exit code for each <c>fail-on</c>: gate failures and regressions against the pull request's base.</summary>
public sealed class FailOnTests
{
    public static TheoryData<string, string, int> Cases => new()
    {
        // A gate fails and a row regresses.
        { "gate-fails", "gate", 1 },
        { "gate-fails", "regression", 1 },
        { "gate-fails", "never", 0 },

        // Every gate passes (the base's own gates are lenient: a pull request cannot relax them), yet one row that passed on the base fails now.
        { "regression-only", "gate", 0 },
        { "regression-only", "regression", 1 },
        { "regression-only", "never", 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Fail_on_decides_the_exit_code(string scenario, string failOn, int expected)
    {
        using var repository = scenario == "gate-fails"
            ? PullRequestRepository.Create(PullRequestRepository.RegressingResponses)
            : PullRequestRepository.Create(PullRequestRepository.RegressingResponses, baseSuite: PullRequestRepository.LenientSuite);
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha);
        runner.Inputs["comment"] = "false";
        runner.Inputs["fail-on"] = failOn;

        var result = await runner.RunAsync();

        Assert.True(result.ExitCode == expected, result.ToString());
        Assert.Equal(scenario == "gate-fails" ? "failed" : "passed", result.Outputs["verdict"]);
        Assert.Equal("1", result.Outputs["regressions"]);
        Assert.Contains($"fail-on {failOn}; exit code {expected}", result.Process.Stdout, StringComparison.Ordinal);
    }
}
