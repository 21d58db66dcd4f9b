using System.Text.Json;
using Flywheel.Evals.Tests.Support;
using Flywheel.Testing.ChatServer;

namespace Flywheel.Evals.Tests.Judges;

public sealed class LlmGroundednessEvaluatorTests
{
    private const string Evaluators = """[{ "name": "grounded", "kind": "groundedness", "method": "llm", "threshold": 0.9 }]""";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Claims_are_judged_against_the_context_and_the_reason_names_the_unsupported_one()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        using var suite = new JudgeSuite(server.Endpoint, Evaluators);

        await using var result = await suite.RunAsync();

        var scores = result.Run.Rows.Where(r => r.Scores.Count > 0).ToDictionary(r => r.Id, r => r.Scores.Single());
        Assert.Equal((1.0, true), (scores["pay-0001"].Value, scores["pay-0001"].Passed));
        var invented = scores["pay-0003"];
        Assert.Equal((0.5, false), (invented.Value, invented.Passed));
        Assert.Equal(
            "1 of 2 claim(s) supported (0.50 < 0.90); not mentioned: \"A $35 processing fee applies.\" (no context chunk states this)",
            invented.Reason);
        var unsupported = (JsonElement)invented.Details!["unsupported"]!;
        Assert.Equal("not_mentioned", unsupported[0].GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task The_payload_carries_the_context_chunks_and_the_response()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        using var suite = new JudgeSuite(server.Endpoint, Evaluators, rows: JudgeSuite.Rows.Split('\n')[0]);

        await using var result = await suite.RunAsync();

        var request = Assert.Single(server.Requests);
        Assert.Equal("flywheel_groundedness", request.ResponseSchemaName);
        using var payload = JsonDocument.Parse(request.Messages[1].Content);
        var chunk = payload.RootElement.GetProperty("context")[0];
        Assert.Equal(("q1", "Payoff quote for loan L-1: $1,200.00, valid until Nov 30."), (chunk.GetProperty("id").GetString(), chunk.GetProperty("text").GetString()));
        Assert.StartsWith("The payoff amount for L-1", payload.RootElement.GetProperty("response").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_contradicted_claim_is_named_as_contradicted()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        using var suite = new JudgeSuite(server.Endpoint, Evaluators, rows: JudgeSuite.Rows.Split('\n')[1]);
        server.Responder = _ => ServerReply.Text("""
            {"claims": [{"claim": "Your payoff amount is $950.00", "verdict": "contradicted", "chunk": "q2", "reason": "q2 says $900.00"},
                        {"claim": "valid until Dec 1", "verdict": "supported", "chunk": "q2", "reason": "stated in q2"}]}
            """);

        await using var result = await suite.RunAsync();

        var score = result.Run.Rows.Single().Scores.Single();
        Assert.Equal((0.5, false), (score.Value, score.Passed));
        Assert.Contains("contradicted: \"Your payoff amount is $950.00\" (q2 says $900.00)", score.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_answer_has_no_claims_and_costs_no_call()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        using var suite = new JudgeSuite(server.Endpoint, Evaluators, rows: JudgeSuite.Rows.Split('\n')[0], responses: """{"id":"pay-0001","output":""}""");

        await using var result = await suite.RunAsync();

        Assert.Equal(0, server.RequestCount);
        Assert.True(result.Run.Rows.Single().Scores.Single().Passed);
    }
}
