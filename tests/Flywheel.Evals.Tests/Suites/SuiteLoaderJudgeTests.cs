using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Schemas;
using Flywheel.Evals.Suites;
using Flywheel.Evals.Tests.Support;

namespace Flywheel.Evals.Tests.Suites;

/// <summary>The suite's judge, llm evaluators and chat target: what the loader accepts and the errors it gives, with lines.</summary>
public sealed class SuiteLoaderJudgeTests
{
    private const string WithJudge = """
        {
          "datasets": ["datasets/a"],
          "target": { "kind": "recorded", "responses": "r.jsonl" },
          "judge": {
            "endpoint": "https://judge.example/v1",
            "model": "gpt-judge",
            "api_key_env": "JUDGE_KEY",
            "timeout_seconds": 20,
            "max_retries": 2,
            "repeats": 3
          },
          "evaluators": [
            { "name": "answer", "kind": "ground-truth-match", "method": "llm" },
            { "name": "grounded", "kind": "groundedness", "method": "llm", "threshold": 0.8, "prompt": "prompts/strict.md" },
            { "name": "tools", "kind": "tool-selection", "method": "llm" }
          ],
          "gates": [ { "cohort": "*", "min_pass_rate": 0.9 } ]
        }
        """;

    [Fact]
    public async Task Reads_the_judge_and_the_prompt_of_each_llm_evaluator()
    {
        using var dir = WithPrompts();
        dir.Write("evaluators/flywheel.json", WithJudge);

        var suite = await Load(dir);

        var judge = suite.Judge!;
        Assert.Equal(("https://judge.example/v1", "gpt-judge", "JUDGE_KEY"), (judge.Endpoint.DisplayEndpoint, judge.Endpoint.Model, judge.Endpoint.ApiKeyEnv));
        Assert.Equal((TimeSpan.FromSeconds(20), 2, 3, "json_schema"), (judge.Endpoint.Timeout, judge.Endpoint.MaxRetries, judge.Repeats, judge.ResponseFormat));
        Assert.Equal(["evaluators/prompts/ground-truth-match.md", "prompts/strict.md", "evaluators/prompts/tool-selection.md"], suite.Evaluators.Select(e => e.Prompt));
    }

    [Fact]
    public async Task An_llm_evaluator_without_a_judge_is_an_error_at_its_line()
    {
        using var dir = WithPrompts();
        dir.Write("evaluators/flywheel.json", """
            {
              "datasets": ["datasets/a"],
              "target": { "kind": "recorded", "responses": "r.jsonl" },
              "evaluators": [
                { "name": "answer", "kind": "ground-truth-match", "method": "llm" }
              ],
              "gates": [ { "cohort": "*", "min_pass_rate": 0.9 } ]
            }
            """);

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => Load(dir));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal((DiagnosticCodes.MissingJudge, 5), (diagnostic.Code, diagnostic.Line));
        Assert.Contains("evaluator 'answer' uses method 'llm' but the suite has no \"judge\"", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_prompt_file_is_an_error_naming_it()
    {
        using var dir = WithPrompts();
        dir.Write("evaluators/flywheel.json", WithJudge);
        File.Delete(Path.Combine(dir.Path, "prompts/strict.md"));

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => Load(dir));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal((DiagnosticCodes.FileNotFound, 14), (diagnostic.Code, diagnostic.Line));
        Assert.Contains("judge prompt 'prompts/strict.md' of evaluator 'grounded' does not exist", diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://judge.example/v1")]
    [InlineData("judge.example/v1")]
    public async Task An_endpoint_that_is_not_an_http_URL_is_an_error_at_its_line(string endpoint)
    {
        using var dir = WithPrompts();
        dir.Write("evaluators/flywheel.json", WithJudge.Replace("https://judge.example/v1", endpoint, StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => Load(dir));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal((DiagnosticCodes.BadEndpoint, 5), (diagnostic.Code, diagnostic.Line));
    }

    [Fact]
    public async Task A_key_written_into_the_suite_is_refused_without_being_echoed()
    {
        using var dir = WithPrompts();
        const string pasted = "sk-proj-abc123SECRET";
        dir.Write("evaluators/flywheel.json", WithJudge.Replace("\"JUDGE_KEY\"", $"\"{pasted}\"", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => Load(dir));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal((DiagnosticCodes.SuiteSchema, 7), (diagnostic.Code, diagnostic.Line));
        Assert.DoesNotContain("abc123SECRET", diagnostic.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unset_key_variable_is_an_error_at_the_api_key_env_line_and_never_shows_a_value()
    {
        using var dir = WithPrompts();
        dir.Write("evaluators/flywheel.json", WithJudge);
        var suite = await Load(dir);
        var diagnostics = new DiagnosticBag();

        SuiteLoader.CheckKeys(suite, targetIsLive: false, _ => null, diagnostics);

        var diagnostic = Assert.Single(diagnostics.Items);
        Assert.Equal((DiagnosticCodes.ApiKeyNotSet, 7), (diagnostic.Code, diagnostic.Line));
        Assert.Contains("environment variable 'JUDGE_KEY' is not set or empty", diagnostic.Message, StringComparison.Ordinal);

        var set = new DiagnosticBag();
        SuiteLoader.CheckKeys(suite, targetIsLive: false, name => name == "JUDGE_KEY" ? "sk-value" : null, set);
        Assert.Empty(set.Items);
    }

    [Fact]
    public async Task A_variable_name_that_looks_like_a_key_is_not_shown()
    {
        using var dir = WithPrompts();
        dir.Write("evaluators/flywheel.json", WithJudge.Replace("\"JUDGE_KEY\"", "\"sk_live_abcdefghijklmnop\"", StringComparison.Ordinal));
        var suite = await Load(dir);
        var diagnostics = new DiagnosticBag();

        SuiteLoader.CheckKeys(suite, targetIsLive: false, _ => null, diagnostics);

        var diagnostic = Assert.Single(diagnostics.Items);
        Assert.DoesNotContain("abcdefghijklmnop", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("is it a key?", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chat_target_needs_an_endpoint_and_a_model_and_an_existing_system_prompt()
    {
        using var dir = WithPrompts();
        dir.Write("evaluators/flywheel.json", """
            {
              "datasets": ["datasets/a"],
              "target": { "kind": "chat", "model": "m" },
              "evaluators": [ { "name": "tools", "kind": "tool-selection" } ],
              "gates": [ { "cohort": "*", "min_pass_rate": 0.9 } ]
            }
            """);
        var missing = await Assert.ThrowsAsync<FlywheelInputException>(() => Load(dir));
        Assert.Equal((DiagnosticCodes.BadEndpoint, 3), (missing.Diagnostics.Single().Code, missing.Diagnostics.Single().Line));

        dir.Write("evaluators/flywheel.json", """
            {
              "datasets": ["datasets/a"],
              "target": { "kind": "chat", "endpoint": "http://127.0.0.1:9/v1", "model": "m",
                          "system_prompt": "evaluators/prompts/none.md" },
              "evaluators": [ { "name": "tools", "kind": "tool-selection" } ],
              "gates": [ { "cohort": "*", "min_pass_rate": 0.9 } ]
            }
            """);
        var prompt = await Assert.ThrowsAsync<FlywheelInputException>(() => Load(dir));
        Assert.Equal((DiagnosticCodes.FileNotFound, 4), (prompt.Diagnostics.Single().Code, prompt.Diagnostics.Single().Line));
    }

    [Fact]
    public async Task A_typo_in_the_target_is_an_error_not_a_silently_ignored_setting()
    {
        using var dir = WithPrompts();
        dir.Write("evaluators/flywheel.json", """
            {
              "datasets": ["datasets/a"],
              "target": { "kind": "chat", "endpoint": "http://127.0.0.1:9/v1", "model": "m", "tool_from_rows": false },
              "evaluators": [ { "name": "tools", "kind": "tool-selection" } ],
              "gates": [ { "cohort": "*", "min_pass_rate": 0.9 } ]
            }
            """);

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => Load(dir));

        Assert.Contains(error.Diagnostics, d => d.Code == DiagnosticCodes.SuiteSchema && d.Message.Contains("tool_from_rows", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("judge", "INPUT_GITHUB_TOKEN")]
    [InlineData("judge", "GITHUB_TOKEN")]
    [InlineData("judge", "ACTIONS_RUNTIME_TOKEN")]
    [InlineData("judge", "runner_temp")]
    public async Task An_api_key_env_naming_a_runner_variable_is_refused_with_FW2014_at_its_line(string section, string name)
    {
        using var dir = WithPrompts();
        dir.Write("evaluators/flywheel.json", WithJudge.Replace("\"JUDGE_KEY\"", $"\"{name}\"", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => Load(dir));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal((DiagnosticCodes.ReservedKeyVariable, 7), (diagnostic.Code, diagnostic.Line));
        Assert.Contains($"the {section}'s api_key_env '{name}' names a variable of the CI runner", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chat_target_key_naming_a_runner_variable_is_refused_too()
    {
        using var dir = WithPrompts();
        dir.Write("evaluators/flywheel.json", """
            {
              "datasets": ["datasets/a"],
              "target": { "kind": "chat", "endpoint": "https://agent.example/v1", "model": "m", "api_key_env": "GITHUB_TOKEN" },
              "evaluators": [ { "name": "tools", "kind": "tool-selection" } ],
              "gates": [ { "cohort": "*", "min_pass_rate": 0.9 } ]
            }
            """);

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => Load(dir));

        Assert.Contains(error.Diagnostics, d => d.Code == DiagnosticCodes.ReservedKeyVariable && d.Line == 3 && d.Message.Contains("chat target's api_key_env 'GITHUB_TOKEN'", StringComparison.Ordinal));
    }

    [Fact]
    public void Key_variable_names_are_read_from_a_suite_text_even_when_it_is_broken_elsewhere()
    {
        Assert.Equal(["JUDGE_KEY"], ApiKeyVariables.NamesIn(WithJudge));
        Assert.Equal(["A", "B"], ApiKeyVariables.NamesIn("""{ "judge": { "api_key_env": "A" }, "target": { "api_key_env": "B" }, "gates": 7 }"""));
        Assert.Empty(ApiKeyVariables.NamesIn("{ not json"));
        Assert.Empty(ApiKeyVariables.NamesIn(null));
    }

    [Theory]
    [InlineData("1e300")]
    [InlineData("86400.5")]
    public async Task A_timeout_beyond_a_day_is_out_of_range_not_a_crash(string seconds)
    {
        using var dir = WithPrompts();
        dir.Write("evaluators/flywheel.json", WithJudge.Replace("\"timeout_seconds\": 20", $"\"timeout_seconds\": {seconds}", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => Load(dir));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal((DiagnosticCodes.SuiteSchema, 8), (diagnostic.Code, diagnostic.Line));
        Assert.Equal("'judge.timeout_seconds' is out of range", diagnostic.Message);
    }

    private static TempDirectory WithPrompts()
    {
        var dir = new TempDirectory();
        dir.Write("evaluators/prompts/ground-truth-match.md", "grade it");
        dir.Write("evaluators/prompts/tool-selection.md", "judge the values");
        dir.Write("prompts/strict.md", "judge each claim");
        return dir;
    }

    private static async Task<SuiteConfig> Load(TempDirectory dir)
    {
        var schemas = await FlywheelSchemas.LoadAsync(TestContext.Current.CancellationToken);
        return await new SuiteLoader(schemas).LoadAsync("evaluators/flywheel.json", dir.Path, TestContext.Current.CancellationToken);
    }
}
