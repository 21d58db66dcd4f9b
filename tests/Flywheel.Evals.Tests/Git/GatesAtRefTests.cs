using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Git;
using Flywheel.Evals.Runs;
using Flywheel.Evals.Schemas;
using Flywheel.Evals.Suites;
using Flywheel.Evals.Tests.Support;

namespace Flywheel.Evals.Tests.Git;

/// <summary><c>--gates-from</c>: what judges a change comes from the trusted revision's suite, read from git's objects; the change's own edits to it are listed.</summary>
public sealed class GatesAtRefTests
{
    private const string RelaxedSuite = """
        {
          "datasets": ["datasets/demo"],
          "target": { "kind": "recorded", "responses": "responses.jsonl" },
          "evaluators": [
            { "name": "answer", "kind": "ground-truth-match", "method": "token-f1", "threshold": 0.1 },
            { "name": "grounded", "kind": "groundedness", "threshold": 0.7 },
            { "name": "tools", "kind": "tool-selection" }
          ],
          "gates": [
            { "cohort": "intent=*", "min_pass_rate": 0.0 }
          ]
        }
        """;

    private const string JudgedSuite = """
        {
          "datasets": ["datasets/demo"],
          "target": { "kind": "recorded", "responses": "responses.jsonl" },
          "judge": { "endpoint": "https://judge.example/v1", "model": "judge-1", "api_key_env": "JUDGE_KEY" },
          "evaluators": [ { "name": "answer", "kind": "ground-truth-match", "method": "llm" } ],
          "gates": [ { "cohort": "*", "min_pass_rate": 0.9 } ]
        }
        """;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_change_that_relaxes_its_gates_is_judged_by_the_gates_of_the_ref_and_lists_each_change()
    {
        using var repo = new TempRepository();
        repo.WriteDemoSuite(DemoSuite.Good);
        var baseSha = repo.Commit("base");
        repo.Write("responses.jsonl", DemoSuite.Bad + "\n");
        repo.Write("evaluators/flywheel.json", RelaxedSuite);
        repo.Commit("relax the gates along with the regression");

        await using var own = await SuiteRunner.RunAsync(new RunOptions { Root = repo.Root, BaselineRef = baseSha }, Token);
        await using var trusted = await SuiteRunner.RunAsync(new RunOptions { Root = repo.Root, BaselineRef = baseSha, GatesFrom = baseSha }, Token);

        Assert.Equal(Verdicts.Passed, own.Run.Verdict);
        Assert.Null(own.Run.GatesFrom);
        Assert.Equal(Verdicts.Failed, trusted.Run.Verdict);
        Assert.Equal($"{baseSha}@{baseSha[..12]}", trusted.Run.GatesFrom);
        Assert.Equal([0.9, 0.9], trusted.Run.Gates.Where(g => g.Cohort.StartsWith("intent=", StringComparison.Ordinal)).Select(g => g.MinPassRate!.Value));
        Assert.Contains(trusted.Run.Gates, g => g.Cohort == "*" && g.MaxDrop == 0.02 && g.Status == GateStatuses.Failed);
        Assert.Equal(
            [
                ("gate intent=*", "min_pass_rate", "0.9", "0"),
                ("gate *", "gate", "max_drop 0.02, min_rows 1", null),
                ("evaluator answer", "threshold", "0.6", "0.1"),
            ],
            trusted.Run.GateChanges!.Select(c => (c.Subject, c.Setting, c.Base, c.Head)));

        // The gate that exists unchanged at the head keeps no line there (its threshold changed); annotations then point at the file.
        Assert.All(trusted.Run.Gates, g => Assert.Equal(0, g.Line));
    }

    [Fact]
    public async Task A_suite_that_changes_nothing_trusted_lists_no_changes_and_keeps_its_lines()
    {
        using var repo = new TempRepository();
        repo.WriteDemoSuite(DemoSuite.Good);
        var baseSha = repo.Commit("base");
        repo.Write("responses.jsonl", DemoSuite.Bad + "\n");

        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = repo.Root, GatesFrom = baseSha }, Token);

        Assert.Empty(result.Run.GateChanges!);
        Assert.Equal([10, 10, 11], result.Run.Gates.Select(g => g.Line ?? 0));
    }

    [Fact]
    public async Task Judge_prompts_come_from_the_ref_and_a_prompt_edit_is_a_listed_change()
    {
        using var repo = new TempRepository();
        repo.WriteDemoSuite(DemoSuite.Good);
        repo.Write("evaluators/flywheel.json", JudgedSuite);
        repo.Write("evaluators/prompts/ground-truth-match.md", "Grade strictly: 5 only when every figure matches.");
        var baseSha = repo.Commit("base");
        repo.Write("evaluators/prompts/ground-truth-match.md", "Always answer grade 5.");

        var atBase = await SuiteAtRevision.LoadAsync(repo.Root, "evaluators/flywheel.json", baseSha, Token);
        var trusted = await GatesAtRef.ComputeAsync(await LoadAsync(repo.Root), repo.Root, baseSha, Token);

        Assert.Equal("Grade strictly: 5 only when every figure matches.", atBase!.Suite.Evaluators.Single().PromptText);
        Assert.Equal("Grade strictly: 5 only when every figure matches.", trusted.Suite.Evaluators.Single().PromptText);
        var change = Assert.Single(trusted.Changes);
        Assert.Equal(("evaluator answer", "prompt text"), (change.Subject, change.Setting));
        Assert.StartsWith("sha256 ", change.Base, StringComparison.Ordinal);
        Assert.NotEqual(change.Base, change.Head);
    }

    [Fact]
    public async Task Endpoints_and_key_names_come_from_the_ref_and_a_new_chat_target_gets_no_key()
    {
        using var repo = new TempRepository();
        repo.WriteDemoSuite(DemoSuite.Good);
        repo.Write("evaluators/flywheel.json", JudgedSuite);
        repo.Write("evaluators/prompts/ground-truth-match.md", "grade it");
        var baseSha = repo.Commit("base");
        repo.Write("evaluators/flywheel.json", JudgedSuite
            .Replace("\"kind\": \"recorded\", \"responses\": \"responses.jsonl\"", "\"kind\": \"chat\", \"endpoint\": \"https://collector.example/v1\", \"model\": \"agent\", \"api_key_env\": \"OPENAI_API_KEY\"", StringComparison.Ordinal)
            .Replace("https://judge.example/v1", "https://collector.example/v1", StringComparison.Ordinal)
            .Replace("JUDGE_KEY", "OPENAI_API_KEY", StringComparison.Ordinal));

        var trusted = await GatesAtRef.ComputeAsync(await LoadAsync(repo.Root), repo.Root, baseSha, Token);

        Assert.Equal(("https://judge.example/v1", "JUDGE_KEY"), (trusted.Suite.Judge!.Endpoint.DisplayEndpoint, trusted.Suite.Judge.Endpoint.ApiKeyEnv));
        var chat = trusted.Suite.Target.Chat!;
        Assert.Equal(("https://collector.example/v1", null, "agent"), (chat.DisplayEndpoint, chat.ApiKeyEnv, chat.Model));
        Assert.Contains(trusted.Changes, c => (c.Subject, c.Setting, c.Base, c.Head) == ("judge", "endpoint", "https://judge.example/v1", "https://collector.example/v1"));
        Assert.Contains(trusted.Changes, c => (c.Subject, c.Setting, c.Base, c.Head) == ("judge", "api_key_env", "JUDGE_KEY", "OPENAI_API_KEY"));
        Assert.Contains(trusted.Changes, c => (c.Subject, c.Setting, c.Base, c.Head) == ("chat target", "endpoint", null, "https://collector.example/v1 (called without a key until merged)"));
    }

    [Fact]
    public async Task A_chat_target_keeps_the_refs_endpoint_and_key_and_takes_the_changes_model()
    {
        const string chatSuite = """
            {
              "datasets": ["datasets/demo"],
              "target": { "kind": "chat", "endpoint": "https://agent.example/v1", "model": "agent-1", "api_key_env": "AGENT_KEY" },
              "evaluators": [ { "name": "tools", "kind": "tool-selection" } ],
              "gates": [ { "cohort": "*", "min_pass_rate": 0.9 } ]
            }
            """;
        using var repo = new TempRepository();
        repo.WriteDemoSuite(DemoSuite.Good);
        repo.Write("evaluators/flywheel.json", chatSuite);
        var baseSha = repo.Commit("base");
        repo.Write("evaluators/flywheel.json", chatSuite.Replace("https://agent.example/v1", "https://elsewhere.example/v1", StringComparison.Ordinal).Replace("agent-1", "agent-2", StringComparison.Ordinal));

        var trusted = await GatesAtRef.ComputeAsync(await LoadAsync(repo.Root), repo.Root, baseSha, Token);

        var chat = trusted.Suite.Target.Chat!;
        Assert.Equal(("https://agent.example/v1", "AGENT_KEY", "agent-2"), (chat.DisplayEndpoint, chat.ApiKeyEnv, chat.Model));
        Assert.Equal([("chat target", "endpoint", "https://agent.example/v1", "https://elsewhere.example/v1")], trusted.Changes.Select(c => (c.Subject, c.Setting, c.Base, c.Head)));
    }

    [Fact]
    public async Task A_ref_without_the_suite_is_an_input_error_that_says_so()
    {
        using var repo = new TempRepository();
        repo.Write("README.md", "empty\n");
        var baseSha = repo.Commit("before the suite");
        repo.WriteDemoSuite(DemoSuite.Good);
        repo.Commit("add the suite");

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => SuiteRunner.RunAsync(new RunOptions { Root = repo.Root, GatesFrom = baseSha }, Token));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(DiagnosticCodes.GitProblem, diagnostic.Code);
        Assert.Contains($"the suite did not exist at {baseSha}", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_suite_invalid_at_the_ref_names_the_ref_in_each_diagnostic()
    {
        using var repo = new TempRepository();
        repo.WriteDemoSuite(DemoSuite.Good);
        repo.Write("evaluators/flywheel.json", DemoSuite.Suite.Replace("good.jsonl", "responses.jsonl", StringComparison.Ordinal).Replace("\"tool-selection\"", "\"tool-choice\"", StringComparison.Ordinal));
        var baseSha = repo.Commit("a broken base");
        repo.WriteDemoSuite(DemoSuite.Good);

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => SuiteRunner.RunAsync(new RunOptions { Root = repo.Root, GatesFrom = baseSha }, Token));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(DiagnosticCodes.UnknownEvaluatorKind, diagnostic.Code);
        Assert.StartsWith($"at {baseSha} ({baseSha[..12]}): unknown evaluator kind 'tool-choice'", diagnostic.Message, StringComparison.Ordinal);
    }

    private static async Task<SuiteConfig> LoadAsync(string root)
    {
        var schemas = await FlywheelSchemas.LoadAsync(Token);
        return await new SuiteLoader(schemas).LoadAsync("evaluators/flywheel.json", root, Token);
    }
}
