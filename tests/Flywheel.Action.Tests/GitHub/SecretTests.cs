using Flywheel.Action.Tests.Support;
using Flywheel.Testing.ChatServer;

namespace Flywheel.Action.Tests.GitHub;

/// <summary>
/// An LLM judge's API key reaches the log only inside the add-mask command, printed before anything else; a suite can
/// name no runner variable as a key; a key goes only to the endpoints of the base's suite (finding 2).
/// </summary>
public sealed class SecretTests
{
    private const string JudgedSuite = """
        {
          "datasets": ["datasets/demo"],
          "target": { "kind": "recorded", "responses": "responses.jsonl" },
          "judge": { "endpoint": "JUDGE_ENDPOINT", "model": "judge-model", "api_key_env": "KEY_NAME" },
          "evaluators": [ { "name": "answer", "kind": "ground-truth-match", "method": "llm" } ],
          "gates": [ { "cohort": "intent=*", "min_pass_rate": 0.5 } ]
        }
        """;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Judge_api_key_is_masked_first_and_written_nowhere_else()
    {
        const string key = "sk-proj-FLYWHEEL-TEST-7d1e0c55b2";
        await using var api = await FakeGitHubApi.StartAsync();
        using var repository = PullRequestRepository.Create(PullRequestRepository.RegressingResponses);
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha);
        runner.Variables["OPENAI_API_KEY"] = key;

        var result = await runner.RunAsync(api.Url, token: "ghs_secret-token-value");

        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = result.Process.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal($"::add-mask::{key}", lines[0]);
        Assert.Equal("::add-mask::ghs_secret-token-value", lines[1]);
        Assert.Equal(1, Count(result.Process.Stdout, key));
        Assert.Equal(1, Count(result.Process.Stdout, "ghs_secret-token-value"));
        Assert.Equal(0, Count(result.Process.Stderr, key));
        Assert.Equal(0, Count(result.Summary, key));
        Assert.DoesNotContain(result.Outputs.Values, v => v.Contains(key, StringComparison.Ordinal));
        Assert.Equal(0, Count(File.ReadAllText(result.Outputs["run-json"]), key));
        Assert.Equal(0, Count(File.ReadAllText(result.Outputs["report-md"]), key));
        Assert.NotEmpty(api.Requests);
        Assert.All(api.Requests, r => Assert.DoesNotContain(key, r.Body + r.PathAndQuery + r.Authorization, StringComparison.Ordinal));
        Assert.All(Directory.EnumerateFiles(runner.Temp, "*", SearchOption.AllDirectories), f => Assert.DoesNotContain(key, File.ReadAllText(f), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("base")]
    [InlineData("head")]
    public async Task An_api_key_env_naming_the_runner_token_is_refused_with_FW2014_whatever_the_trust(string trust)
    {
        const string token = "ghs_write-token-7d1e0c55b2";
        await using var judge = await ChatCompletionsServer.StartAsync(Token);
        using var repository = PullRequestRepository.Create(TempSuite.ValidResponses, headSuite: Judged(judge.Endpoint, "INPUT_GITHUB_TOKEN"), files: Prompts());
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha);
        runner.Inputs["comment"] = "false";
        runner.Inputs["trust"] = trust;

        var result = await runner.RunAsync(token: token);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(0, judge.RequestCount);
        Assert.Contains("error FW2014: the judge's api_key_env 'INPUT_GITHUB_TOKEN' names a variable of the CI runner", result.Process.Stderr, StringComparison.Ordinal);
        Assert.Contains(result.Commands, c => c.StartsWith("::error file=evaluators/flywheel.json,line=4,", StringComparison.Ordinal) && c.Contains("FW2014", StringComparison.Ordinal));
        Assert.Equal(1, Count(result.Process.Stdout + result.Process.Stderr + result.Summary, token));
    }

    [Fact]
    public async Task The_command_line_refuses_a_runner_variable_as_a_key_too()
    {
        using var suite = new TempSuite();
        suite.Write("evaluators/flywheel.json", Judged(new Uri("http://127.0.0.1:9/v1"), "GITHUB_TOKEN"));
        foreach (var (path, text) in Prompts())
        {
            suite.Write(path, text);
        }

        var validate = await suite.RunAsync("validate");
        var gate = await suite.RunAsync("gate");

        Assert.Equal((2, 2), (validate.ExitCode, gate.ExitCode));
        Assert.Contains("evaluators/flywheel.json(4,", validate.Stderr, StringComparison.Ordinal);
        Assert.Contains("error FW2014", validate.Stderr, StringComparison.Ordinal);
        Assert.Contains("error FW2014", gate.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_variable_a_suite_names_as_a_key_is_masked_before_anything_else_is_printed()
    {
        const string headKey = "head-key-5f1c9a0d77";
        const string baseKey = "base-key-0b3e2f6a11";
        await using var judge = await ChatCompletionsServer.StartAsync(Token);
        using var repository = PullRequestRepository.Create(
            TempSuite.ValidResponses, baseSuite: Judged(judge.Endpoint, "BASE_JUDGE_KEY"), headSuite: Judged(judge.Endpoint, "MY_JUDGE_KEY"), files: Prompts());
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha);
        runner.Inputs["comment"] = "false";
        runner.Variables["MY_JUDGE_KEY"] = headKey;
        runner.Variables["BASE_JUDGE_KEY"] = baseKey;

        var result = await runner.RunAsync();

        Assert.True(result.ExitCode is 0 or 1, result.ToString());
        var lines = result.Process.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var masks = lines.TakeWhile(l => l.StartsWith("::add-mask::", StringComparison.Ordinal)).ToList();
        Assert.Contains($"::add-mask::{headKey}", masks);
        Assert.Contains($"::add-mask::{baseKey}", masks);
        foreach (var key in new[] { headKey, baseKey })
        {
            Assert.Equal(1, Count(result.Process.Stdout, key));
            Assert.Equal(0, Count(result.Process.Stderr + result.Summary, key));
            Assert.All(Directory.EnumerateFiles(runner.Temp, "*", SearchOption.AllDirectories), f => Assert.DoesNotContain(key, File.ReadAllText(f), StringComparison.Ordinal));
        }

        // The base's suite decides the key: only its variable was sent; the pull request's choice is listed for after the merge.
        Assert.NotEmpty(judge.Requests);
        Assert.All(judge.Requests, r => Assert.Equal($"Bearer {baseKey}", r.Authorization));
        Assert.Contains("| judge · api\\_key\\_env | `BASE_JUDGE_KEY` | `MY_JUDGE_KEY` |", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_judge_endpoint_changed_by_the_pull_request_gets_no_key_and_no_question()
    {
        const string key = "sk-judge-3c5e7a9b1d";
        await using var trusted = await ChatCompletionsServer.StartAsync(Token);
        await using var collector = await ChatCompletionsServer.StartAsync(Token);
        var headSuite = Judged(collector.Endpoint, "MY_JUDGE_KEY").Replace(
            "\"kind\": \"recorded\", \"responses\": \"responses.jsonl\"",
            $"\"kind\": \"chat\", \"endpoint\": \"{collector.Endpoint}\", \"model\": \"agent\", \"api_key_env\": \"MY_JUDGE_KEY\"",
            StringComparison.Ordinal);
        using var repository = PullRequestRepository.Create(TempSuite.ValidResponses, baseSuite: Judged(trusted.Endpoint, "MY_JUDGE_KEY"), headSuite: headSuite, files: Prompts());
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha);
        runner.Inputs["comment"] = "false";
        runner.Variables["MY_JUDGE_KEY"] = key;

        var result = await runner.RunAsync();

        Assert.True(result.ExitCode is 0 or 1, result.ToString());
        Assert.NotEmpty(trusted.Requests);
        Assert.All(trusted.Requests, r => Assert.Equal($"Bearer {key}", r.Authorization));

        // The head's new chat target is called (its rows are the head's to answer), but without the key and with no judge question.
        Assert.NotEmpty(collector.Requests);
        Assert.All(collector.Requests, r => Assert.DoesNotContain(key, r.Authorization ?? string.Empty, StringComparison.Ordinal));
        Assert.All(collector.Requests, r => Assert.Null(r.ResponseSchemaName));
        Assert.Contains($"| judge · endpoint | `{trusted.Endpoint.ToString().TrimEnd('/')}` | `{collector.Endpoint.ToString().TrimEnd('/')}` |", result.Summary, StringComparison.Ordinal);
        Assert.Contains("| chat target · endpoint | (not set) |", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_request_target_on_a_forks_head_is_refused_with_FW9003_unless_allowed()
    {
        await using var api = await FakeGitHubApi.StartAsync();
        using var repository = PullRequestRepository.Create(TempSuite.ValidResponses);
        using var runner = new ActionRunner(repository.Root) { EventName = "pull_request_target" };
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha, headRepository: "mallory/bank");

        var refused = await runner.RunAsync(api.Url);
        runner.Inputs["allow-untrusted-head"] = "true";
        var allowed = await runner.RunAsync(api.Url);

        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("flywheel: error FW9003: refusing to run: this is a pull_request_target workflow", refused.Process.Stderr, StringComparison.Ordinal);
        Assert.Contains("comes from 'mallory/bank'", refused.Process.Stderr, StringComparison.Ordinal);
        Assert.Contains(refused.Commands, c => c.StartsWith("::error", StringComparison.Ordinal) && c.Contains("FW9003", StringComparison.Ordinal));
        Assert.Contains("allow-untrusted-head: true", refused.Summary, StringComparison.Ordinal);
        Assert.Equal(("error", string.Empty), (refused.Outputs["verdict"], refused.Outputs["run-json"]));
        Assert.True(allowed.ExitCode == 0, allowed.ToString());

        // Under pull_request_target the token can write, so the allowed run comments even on a fork's pull request.
        Assert.Single(api.Comments);
    }

    private static string Judged(Uri endpoint, string keyName) =>
        JudgedSuite.Replace("JUDGE_ENDPOINT", endpoint.ToString(), StringComparison.Ordinal).Replace("KEY_NAME", keyName, StringComparison.Ordinal);

    private static Dictionary<string, string> Prompts() => new()
    {
        ["evaluators/prompts/ground-truth-match.md"] = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "evaluators", "prompts", "ground-truth-match.md")),
    };

    private static int Count(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
