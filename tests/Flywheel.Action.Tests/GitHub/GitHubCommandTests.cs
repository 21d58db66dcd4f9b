using System.Text.Json;
using Flywheel.Action.Tests.Support;

namespace Flywheel.Action.Tests.GitHub;

/// <summary><c>flywheel github</c> run as the runner runs it: a real pull-request repository, an event file, GITHUB_* files, the real process.</summary>
public sealed class GitHubCommandTests
{
    [Fact]
    public async Task Failing_pull_request_writes_summary_outputs_and_annotations_at_the_gate_and_row_lines()
    {
        using var repository = PullRequestRepository.Create(PullRequestRepository.RegressingResponses);
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha);
        runner.Inputs["comment"] = "false";

        var result = await runner.RunAsync();

        Assert.True(result.ExitCode == 1, result.ToString());

        // The job summary is the Markdown report: verdict, the failed gate, the regressed row, and why there is no comment.
        Assert.Contains("❌ Flywheel gate failed", result.Summary, StringComparison.Ordinal);
        Assert.Contains("`intent=balance`", result.Summary, StringComparison.Ordinal);
        Assert.Contains("### Regressions (1)", result.Summary, StringComparison.Ordinal);
        Assert.Contains("`demo/balance-0002`", result.Summary, StringComparison.Ordinal);
        Assert.Contains("**No pull request comment:** the `comment` input is false", result.Summary, StringComparison.Ordinal);

        // Outputs: every one action.yml declares, with values that point at real files.
        foreach (var declared in ActionDefinition.Load().Outputs)
        {
            Assert.True(result.Outputs.ContainsKey(declared), $"output '{declared}' declared in action.yml is never written\n{result}");
        }

        Assert.Equal("failed", result.Outputs["verdict"]);
        Assert.Equal(["intent=balance", "*"], JsonSerializer.Deserialize<string[]>(result.Outputs["failed-gates"])!);
        Assert.Equal("1", result.Outputs["regressions"]);
        using (var run = JsonDocument.Parse(File.ReadAllText(result.Outputs["run-json"])))
        {
            Assert.Equal("failed", run.RootElement.GetProperty("verdict").GetString());
            Assert.StartsWith(repository.BaseSha + "@", run.RootElement.GetProperty("baseline").GetString(), StringComparison.Ordinal);
        }

        Assert.StartsWith("<!-- flywheel-report -->", File.ReadAllText(result.Outputs["report-md"]), StringComparison.Ordinal);

        // The console report (which quotes row text) runs with workflow commands stopped; annotations come after the resume.
        var stop = Assert.Single(result.Commands, c => c.StartsWith("::stop-commands::", StringComparison.Ordinal));
        var resume = $"::{stop["::stop-commands::".Length..]}::";
        Assert.Contains(resume, result.Commands);
        var commands = result.Commands.ToList();
        Assert.True(commands.IndexOf(resume) < commands.FindIndex(c => c.StartsWith("::error", StringComparison.Ordinal)), result.ToString());
        Assert.Contains("intent=balance", result.Process.Stdout[result.Process.Stdout.IndexOf(stop, StringComparison.Ordinal)..result.Process.Stdout.IndexOf(resume, StringComparison.Ordinal)], StringComparison.Ordinal);

        // Annotations point into the suite (the gate's line) and into rows.jsonl (the regressed row's line).
        var gateLine = repository.LineOf(PullRequestRepository.ConfigPath, "\"intent=*\"");
        var dropLine = repository.LineOf(PullRequestRepository.ConfigPath, "\"max_drop\"");
        Assert.Contains(result.Commands, c => c.StartsWith($"::error file=evaluators/flywheel.json,line={gateLine},title=Flywheel gate failed%3A intent=balance::", StringComparison.Ordinal));
        Assert.Contains(result.Commands, c => c.StartsWith($"::error file=evaluators/flywheel.json,line={dropLine},title=Flywheel gate failed%3A *::", StringComparison.Ordinal));
        var regression = Assert.Single(result.Commands, c => c.Contains("title=Flywheel regression", StringComparison.Ordinal));
        Assert.StartsWith("::error file=datasets/demo/rows.jsonl,line=2,title=Flywheel regression%3A demo/balance-0002::Row 'balance-0002' passed on the baseline and fails now (tools)", regression, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Passing_pull_request_exits_0_with_verdict_passed_and_no_error_annotation()
    {
        using var repository = PullRequestRepository.Create(TempSuite.ValidResponses);
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha);
        runner.Inputs["comment"] = "false";

        var result = await runner.RunAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("passed", result.Outputs["verdict"]);
        Assert.Equal("[]", result.Outputs["failed-gates"]);
        Assert.DoesNotContain(result.Commands, c => c.StartsWith("::error", StringComparison.Ordinal));
        Assert.Contains("**No regressions:**", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_request_that_adds_the_suite_gates_without_a_baseline_and_says_so()
    {
        using var repository = PullRequestRepository.Create(TempSuite.ValidResponses, suiteAtBase: false);
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha);
        runner.Inputs["comment"] = "false";

        var result = await runner.RunAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("No baseline: the suite does not exist at the base", result.Summary, StringComparison.Ordinal);
        Assert.Contains("· no baseline", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shallow_clone_without_the_base_commit_exits_2_with_the_fetch_advice()
    {
        using var repository = PullRequestRepository.Create(TempSuite.ValidResponses);
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(new string('a', 40), repository.HeadSha);
        runner.Inputs["comment"] = "false";
        runner.Inputs["fail-on"] = "never";

        var result = await runner.RunAsync();

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("error", result.Outputs["verdict"]);
        Assert.Contains("FW4002", result.Process.Stderr, StringComparison.Ordinal);
        Assert.Contains(result.Commands, c => c.StartsWith("::error", StringComparison.Ordinal) && c.Contains("FW4002", StringComparison.Ordinal) && c.Contains("fetch-depth: 0", StringComparison.Ordinal));
        Assert.Contains("could not run", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Broken_suite_exits_2_even_with_fail_on_never_and_annotates_the_line()
    {
        using var repository = PullRequestRepository.Create(TempSuite.ValidResponses);
        repository.Write(PullRequestRepository.ConfigPath, TempSuite.ValidSuite.Replace("\"tool-selection\"", "\"tool-choice\"", StringComparison.Ordinal));
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha);
        runner.Inputs["comment"] = "false";
        runner.Inputs["fail-on"] = "never";

        var result = await runner.RunAsync();

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("error", result.Outputs["verdict"]);
        var line = repository.LineOf(PullRequestRepository.ConfigPath, "tool-choice");
        Assert.Contains(result.Commands, c => c.StartsWith($"::error file=evaluators/flywheel.json,line={line},", StringComparison.Ordinal) && c.Contains("FW2002", StringComparison.Ordinal));
        Assert.Contains("unknown evaluator kind 'tool-choice'", result.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fail-on", "sometimes", "takes gate, regression or never")]
    [InlineData("comment", "yes please", "takes true or false")]
    public async Task Bad_action_input_exits_2_naming_the_input(string input, string value, string expected)
    {
        using var repository = PullRequestRepository.Create(TempSuite.ValidResponses);
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha);
        runner.Inputs[input] = value;

        var result = await runner.RunAsync();

        Assert.True(result.ExitCode == 2, result.ToString());
        var error = Assert.Single(result.Commands, c => c.StartsWith("::error", StringComparison.Ordinal));
        Assert.Contains($"action input '{input}'", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("FW9002", result.Process.Stderr, StringComparison.Ordinal);
    }
}
