using System.Text.Json;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Runs;
using Flywheel.Evals.Tests.Support;
using Flywheel.Testing.ChatServer;

namespace Flywheel.Evals.Tests.Targets;

public sealed class ChatTargetTests
{
    private const string Target = $$"""
        { "kind": "chat", "endpoint": "{{Placeholder}}", "model": "agent-model", "api_key_env": "{{JudgeSuite.KeyVariable}}",
          "system_prompt": "evaluators/prompts/agent.md", "tools_from_rows": true, "max_output_tokens": 300 }
        """;

    private const string Placeholder = "ENDPOINT";

    private const string Rules = """
        [{ "name": "answer", "kind": "ground-truth-match", "method": "token-f1", "threshold": 0.6 },
         { "name": "tools", "kind": "tool-selection" }]
        """;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rows_are_sent_with_the_system_prompt_and_their_tools_and_tool_calls_come_back_as_the_response()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        server.Responder = Agent;
        using var suite = new JudgeSuite(server.Endpoint, Rules, target: Target.Replace(Placeholder, server.Endpoint.ToString(), StringComparison.Ordinal));

        await using var result = await suite.RunAsync();

        Assert.Equal(4, server.RequestCount);
        var agentPrompt = File.ReadAllText(Path.Combine(suite.Root, "evaluators/prompts/agent.md"));
        foreach (var request in server.Requests)
        {
            Assert.Equal(("agent-model", $"Bearer {suite.Key}"), (request.Model, request.Authorization));
            Assert.Equal(("system", agentPrompt), request.Messages[0]);
            Assert.Equal("user", request.Messages[1].Role);
            Assert.Equal(300, request.Json.GetProperty("max_completion_tokens").GetInt32());
        }

        var wire = server.Requests.Single(r => r.Messages[1].Content.Contains("Ana", StringComparison.Ordinal));
        Assert.Equal(["initiate_wire_transfer"], wire.ToolNames);
        Assert.Equal("who receives the money", wire.Json.GetProperty("tools")[0].GetProperty("function").GetProperty("parameters").GetProperty("properties").GetProperty("beneficiary").GetProperty("description").GetString());
        Assert.All(server.Requests.Where(r => r != wire), r => Assert.Empty(r.ToolNames));

        Assert.Equal(0, result.Run.UndecidedScores);
        var wireScore = result.Run.Rows.Single(r => r.Id == "wire-0001").Scores.Single();
        Assert.True(wireScore.Passed, wireScore.Reason);
        Assert.True(result.Run.Rows.Single(r => r.Id == "pay-0001").Passed);
        Assert.False(result.Run.Rows.Single(r => r.Id == "pay-0002").Passed); // the agent answers a wrong amount for L-2
        Assert.Equal($"chat:agent-model@{server.Endpoint.ToString().TrimEnd('/')}", result.Run.Responses);
        Assert.Equal(["agent-model"], result.Run.Models);
        Assert.Equal("target", Assert.Single(result.Run.ModelCalls!.Endpoints).Role);
    }

    [Fact]
    public async Task A_live_target_and_a_judge_share_the_run_and_a_cached_rerun_calls_neither()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        server.Responder = request => request.ToolNames.Count > 0 || request.ResponseSchemaName is null ? Agent(request) : DeterministicJudge.Reply(request);
        const string Evaluators = """[{ "name": "answer", "kind": "ground-truth-match", "method": "llm" }]""";
        using var suite = new JudgeSuite(server.Endpoint, Evaluators, target: Target.Replace(Placeholder, server.Endpoint.ToString(), StringComparison.Ordinal));

        await using (var result = await suite.RunAsync())
        {
            Assert.Equal(["judge", "target"], result.Run.ModelCalls!.Endpoints.Select(e => e.Role).Order());
            Assert.Equal(7L, result.Run.ModelCalls.Requests); // 4 rows answered, 3 judged
            Assert.Equal(0, result.Run.UndecidedScores);
        }

        server.ResetCounts();
        await using var rerun = await suite.RunAsync();
        Assert.Equal(0, server.RequestCount);
        Assert.Equal(7L, rerun.Run.ModelCalls!.CacheHits);
    }

    [Fact]
    public async Task A_target_that_cannot_answer_makes_its_rows_errors()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        server.Responder = Agent;
        var target = Target.Replace(Placeholder, server.Endpoint.ToString(), StringComparison.Ordinal).Replace("\"max_output_tokens\": 300", "\"max_retries\": 0", StringComparison.Ordinal);
        using var suite = new JudgeSuite(server.Endpoint, Rules, target: target, rows: JudgeSuite.Rows.Split('\n')[0]);
        server.Enqueue(new ServerBehavior.Status(502));

        await using var result = await suite.RunAsync();

        var row = result.Run.Rows.Single();
        Assert.Equal((null, "the chat target did not answer: HTTP 502 BadGateway (gave up after 1 attempt(s))"), (row.Passed, row.Error));
        Assert.All(row.Scores, s => Assert.Null(s.Passed));
        Assert.Equal(Verdicts.Error, result.Run.Verdict);
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.TargetCallFailed && d.Line == 1);
    }

    [Fact]
    public async Task Recorded_responses_given_on_the_command_line_replace_the_live_target_and_need_no_target_key()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        var target = Target.Replace(Placeholder, server.Endpoint.ToString(), StringComparison.Ordinal).Replace(JudgeSuite.KeyVariable, "UNSET_TARGET_KEY", StringComparison.Ordinal);
        using var suite = new JudgeSuite(server.Endpoint, Rules, target: target);

        await using var result = await SuiteRunner.RunAsync(suite.Options() with { Responses = Path.Combine(suite.Root, "responses.jsonl") }, Token);

        Assert.Equal(0, server.RequestCount);
        Assert.Null(result.Run.ModelCalls);
        Assert.Equal("responses.jsonl", result.Run.Responses);
    }

    [Fact]
    public async Task Validation_reads_a_chat_suite_without_calling_the_model()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        using var suite = new JudgeSuite(server.Endpoint, Rules, target: Target.Replace(Placeholder, server.Endpoint.ToString(), StringComparison.Ordinal));

        var diagnostics = await SuiteRunner.ValidateAsync(suite.Options(), Token);

        Assert.DoesNotContain(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(0, server.RequestCount);
    }

    /// <summary>A stand-in agent: calls the transfer tool when offered, else states the payoff of the loan asked about (wrong for L-2).</summary>
    private static ServerReply Agent(RecordedRequest request)
    {
        if (request.ToolNames.Contains("initiate_wire_transfer"))
        {
            return new ServerReply(null, [("initiate_wire_transfer", """{"beneficiary":"Ana Lopez","amount":500}""")]);
        }

        var question = request.Messages.Last(m => m.Role == "user").Content;
        return ServerReply.Text(question switch
        {
            _ when question.Contains("L-1", StringComparison.Ordinal) => "Your payoff amount is $1,200.00, valid until Nov 30.",
            _ when question.Contains("L-2", StringComparison.Ordinal) => "Your payoff amount is $990.00.",
            _ => "Your payoff amount is $50.00, valid until Dec 2.",
        });
    }
}
