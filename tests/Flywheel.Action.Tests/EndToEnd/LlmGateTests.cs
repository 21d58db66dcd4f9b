using Flywheel.Action.Tests.Support;
using Flywheel.Testing.ChatServer;

namespace Flywheel.Action.Tests.EndToEnd;

/// <summary>The real flywheel process with a judge and a live chat target against a server on 127.0.0.1.</summary>
public sealed class LlmGateTests
{
    private const string Rows = """
        {"id":"pay-0001","tags":{"intent":"pay"},"input":[{"role":"user","content":"What is the payoff for loan L-1?"}],"context":[{"id":"q1","text":"Payoff quote for loan L-1: $1,200.00, valid until Nov 30."}],"expected":{"answers":["Your payoff amount is $1,200.00, valid until Nov 30."]}}
        {"id":"pay-0002","tags":{"intent":"pay"},"input":[{"role":"user","content":"What is the payoff for loan L-2?"}],"context":[{"id":"q2","text":"Payoff quote for loan L-2: $900.00, valid until Dec 1."}],"expected":{"answers":["Your payoff amount is $900.00, valid until Dec 1."]}}
        {"id":"wire-0001","tags":{"intent":"wire"},"input":[{"role":"user","content":"Send 500 euros to Ana Lopez"}],"expected":{"tool_calls":[{"name":"initiate_wire_transfer","arguments":{"beneficiary":["Ana Lopez"],"amount":[500]}}]},"tools":[{"name":"initiate_wire_transfer","parameters":{"type":"object","properties":{"beneficiary":{"type":"string"},"amount":{"type":"number"}},"required":["beneficiary","amount"]}}]}
        """;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_canary_key_reaches_the_endpoint_and_appears_in_no_file_and_no_output()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        server.Responder = Respond;
        using var suite = Suite(server.Endpoint);
        var canary = $"sk-canary-{Guid.NewGuid():N}";
        var environment = new Dictionary<string, string?> { ["OPENAI_API_KEY"] = canary, ["FLYWHEEL_PROGRESS_INTERVAL"] = "0.05" };

        var first = await FlywheelProcess.RunAsync(suite.Root, environment, "gate", "--root", suite.Root, "--format", "console,md,json,junit", "--max-calls", "100", "--judge-repeats", "3");
        server.ResetCounts();
        var second = await FlywheelProcess.RunAsync(suite.Root, environment, "gate", "--root", suite.Root, "--format", "console,md,json,junit", "--judge-repeats", "3", "--progress", "plain");

        Assert.True(first.ExitCode is 0 or 1, first.ToString());
        Assert.Equal(first.ExitCode, second.ExitCode);
        Assert.Equal(0, server.RequestCount); // the second run was answered from the cache
        Assert.Contains("calls 0 · cache hits", second.Stderr, StringComparison.Ordinal);
        Assert.Contains("Model calls", first.Stdout, StringComparison.Ordinal);

        var files = Directory.EnumerateFiles(suite.Root, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.Contains(Path.Combine(".flywheel", "cache"), StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("report.md", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("junit.xml", StringComparison.Ordinal));
        foreach (var file in files)
        {
            Assert.False(File.ReadAllText(file).Contains(canary, StringComparison.Ordinal), $"the key leaked into {file}");
        }

        foreach (var output in new[] { first.Stdout, first.Stderr, second.Stdout, second.Stderr })
        {
            Assert.DoesNotContain(canary, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_key_was_sent_to_the_endpoint_as_a_bearer_token()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        server.Responder = Respond;
        using var suite = Suite(server.Endpoint);
        var canary = $"sk-canary-{Guid.NewGuid():N}";

        var result = await FlywheelProcess.RunAsync(suite.Root, new Dictionary<string, string?> { ["OPENAI_API_KEY"] = canary }, "gate", "--root", suite.Root, "--progress", "none");

        Assert.True(result.ExitCode is 0 or 1, result.ToString());
        Assert.Equal(7, server.RequestCount); // 3 rows answered live, 2 judged by each of 2 evaluators
        Assert.All(server.Requests, r => Assert.Equal($"Bearer {canary}", r.Authorization));
    }

    [Fact]
    public async Task A_missing_key_variable_exits_2_naming_the_suite_line_and_calls_nothing()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        using var suite = Suite(server.Endpoint);

        var result = await FlywheelProcess.RunAsync(suite.Root, new Dictionary<string, string?> { ["OPENAI_API_KEY"] = null }, "gate", "--root", suite.Root);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("evaluators/flywheel.json(4,1): error FW2012: the chat target needs an API key: environment variable 'OPENAI_API_KEY' is not set or empty", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("evaluators/flywheel.json(6,1): error FW2012: the judge needs an API key", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task An_exhausted_call_budget_exits_2_with_one_diagnostic_and_writes_the_run()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        server.Responder = Respond;
        using var suite = Suite(server.Endpoint);

        var result = await FlywheelProcess.RunAsync(suite.Root, new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "sk-test" }, "gate", "--root", suite.Root, "--max-calls", "2", "--concurrency", "1");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(2, server.RequestCount);
        Assert.Single(result.Stderr.Split('\n'), l => l.Contains("error FW5002: the call budget of 2 model request(s) (--max-calls) ran out", StringComparison.Ordinal));
        Assert.Contains("\"budget_exhausted\": true", suite.Read(".flywheel/out/run.json"), StringComparison.Ordinal);
        Assert.Contains("could not decide", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_is_a_line_rewritten_in_place_when_live_and_plain_lines_otherwise()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        server.Responder = Respond;
        server.Latency = TimeSpan.FromMilliseconds(150);
        using var suite = Suite(server.Endpoint);
        var environment = new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "sk-test", ["FLYWHEEL_PROGRESS_INTERVAL"] = "0.2" };

        var live = await FlywheelProcess.RunAsync(suite.Root, environment, "gate", "--root", suite.Root, "--concurrency", "1", "--progress", "live", "--no-cache");
        var plain = await FlywheelProcess.RunAsync(suite.Root, environment, "gate", "--root", suite.Root, "--concurrency", "1", "--progress", "plain", "--no-cache");

        Assert.Contains("\rflywheel: rows ", live.Stderr, StringComparison.Ordinal);
        Assert.Contains("ETA", live.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"flywheel: rows 3/3 \(100%\) · calls 7 · cache hits 0 · retries 0 · errors 0 · \d+\.\d s", live.Stderr);
        Assert.DoesNotContain("\r", plain.Stderr, StringComparison.Ordinal);
        Assert.True(plain.Stderr.Split('\n').Count(l => l.StartsWith("flywheel: rows ", StringComparison.Ordinal)) >= 3, plain.Stderr);
    }

    private static TempSuite Suite(Uri endpoint)
    {
        var suite = new TempSuite();
        suite.Write("datasets/demo/rows.jsonl", Rows + "\n");
        foreach (var prompt in Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "evaluators", "prompts"), "*.md"))
        {
            suite.Write($"evaluators/prompts/{Path.GetFileName(prompt)}", File.ReadAllText(prompt));
        }

        suite.Write("evaluators/flywheel.json", $$"""
            {
              "datasets": ["datasets/demo"],
              "target": { "kind": "chat", "endpoint": "{{endpoint}}", "model": "agent-model",
                          "api_key_env": "OPENAI_API_KEY", "system_prompt": "evaluators/prompts/agent.md" },
              "judge": { "endpoint": "{{endpoint}}", "model": "judge-model",
                         "api_key_env": "OPENAI_API_KEY" },
              "evaluators": [
                { "name": "answer", "kind": "ground-truth-match", "method": "llm" },
                { "name": "grounded", "kind": "groundedness", "method": "llm", "threshold": 1.0 },
                { "name": "tools", "kind": "tool-selection", "method": "llm" }
              ],
              "gates": [ { "cohort": "intent=*", "min_pass_rate": 0.5 } ]
            }
            """);
        return suite;
    }

    private static ServerReply Respond(RecordedRequest request)
    {
        if (request.ResponseSchemaName is not null)
        {
            return DeterministicJudge.Reply(request);
        }

        if (request.ToolNames.Count > 0)
        {
            return new ServerReply(null, [("initiate_wire_transfer", """{"beneficiary":"Ana Lopez","amount":500}""")]);
        }

        var question = request.Messages.Last(m => m.Role == "user").Content;
        return ServerReply.Text(question.Contains("L-1", StringComparison.Ordinal) ? "Your payoff amount is $1,200.00, valid until Nov 30." : "Your payoff amount is $990.00.");
    }
}
