using System.Text.Json;
using Flywheel.Action.Tests.Support;

namespace Flywheel.Action.Tests.GitHub;

/// <summary>A pull request is judged by its base's gates (finding 1), sees what it changes in them, and cannot drop rows unseen.</summary>
public sealed class TrustedGatesTests
{
    private const string ChangesHeading = "### Gate changes in this pull request (they take effect after merge)";

    [Fact]
    public async Task Pull_request_that_relaxes_its_thresholds_is_judged_by_the_base_gates_and_lists_each_change()
    {
        await using var api = await FakeGitHubApi.StartAsync();
        using var repository = PullRequestRepository.Create(PullRequestRepository.RegressingResponses, headSuite: PullRequestRepository.LenientSuite);
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha);

        var result = await runner.RunAsync(api.Url);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("failed", result.Outputs["verdict"]);
        Assert.Equal(["intent=balance", "*"], JsonSerializer.Deserialize<string[]>(result.Outputs["failed-gates"])!);
        foreach (var text in new[] { result.Summary, Assert.Single(api.Comments).Body })
        {
            Assert.Contains(ChangesHeading, text, StringComparison.Ordinal);
            Assert.Contains("| gate intent=\\* · min\\_pass\\_rate | `0.9` | `0.5` |", text, StringComparison.Ordinal);
            Assert.Contains("| gate \\* · gate | `max_drop 0.02, min_rows 1` | (not set) |", text, StringComparison.Ordinal);
        }

        using var run = JsonDocument.Parse(File.ReadAllText(result.Outputs["run-json"]));
        Assert.Equal($"{repository.BaseSha}@{repository.BaseSha[..12]}", run.RootElement.GetProperty("gates_from").GetString());
        Assert.Equal(2, run.RootElement.GetProperty("gate_changes").GetArrayLength());

        // The base's gate is not in the head's file: its annotation names the file, no line of the head's.
        Assert.Contains(result.Commands, c => c.StartsWith("::error file=evaluators/flywheel.json,title=Flywheel gate failed%3A intent=balance::", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Trust_head_lets_the_pull_requests_own_gates_decide_and_says_so()
    {
        using var repository = PullRequestRepository.Create(PullRequestRepository.RegressingResponses, headSuite: PullRequestRepository.LenientSuite);
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha);
        runner.Inputs["comment"] = "false";
        runner.Inputs["trust"] = "head";

        var result = await runner.RunAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("passed", result.Outputs["verdict"]);
        Assert.DoesNotContain(ChangesHeading, result.Summary, StringComparison.Ordinal);
        Assert.Contains("`trust: head`: this pull request's own gates", result.Summary, StringComparison.Ordinal);
        using var run = JsonDocument.Parse(File.ReadAllText(result.Outputs["run-json"]));
        Assert.False(run.RootElement.TryGetProperty("gates_from", out _));
    }

    [Fact]
    public async Task Rows_removed_by_the_pull_request_are_listed_near_the_top_and_max_rows_removed_blocks()
    {
        const string suite = """
            {
              "datasets": ["datasets/demo"],
              "target": { "kind": "recorded", "responses": "responses.jsonl" },
              "evaluators": [
                { "name": "answer", "kind": "ground-truth-match", "method": "token-f1", "threshold": 0.6 },
                { "name": "tools", "kind": "tool-selection" }
              ],
              "gates": [
                { "cohort": "intent=*", "min_pass_rate": 0.9 },
                { "cohort": "intent=*", "max_rows_removed": 0 }
              ]
            }
            """;
        static string FirstTwo(string lines) => string.Join('\n', lines.Split('\n').Take(2));
        using var repository = PullRequestRepository.Create(FirstTwo(TempSuite.ValidResponses), baseSuite: suite, headRows: FirstTwo(TempSuite.ValidRows));
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha);
        runner.Inputs["comment"] = "false";

        var result = await runner.RunAsync();

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(["intent=policy"], JsonSerializer.Deserialize<string[]>(result.Outputs["failed-gates"])!);
        var removed = result.Summary.IndexOf("### Rows removed (1): in the baseline, not in this run", StringComparison.Ordinal);
        Assert.True(removed > 0 && removed < result.Summary.IndexOf("### Cohorts", StringComparison.Ordinal), result.Summary);
        Assert.Contains("`demo/policy-0001`", result.Summary, StringComparison.Ordinal);
        Assert.Contains("intent=policy: 1 row(s) of the baseline are gone (removed), more than the allowed 0", result.Summary, StringComparison.Ordinal);
        Assert.Contains(result.Commands, c => c.StartsWith("::error", StringComparison.Ordinal) && c.Contains("title=Flywheel gate failed%3A intent=policy", StringComparison.Ordinal));
    }
}
