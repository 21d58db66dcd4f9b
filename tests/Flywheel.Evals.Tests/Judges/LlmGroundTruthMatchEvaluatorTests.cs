using System.Text.Json;
using Flywheel.Evals.Runs;
using Flywheel.Evals.Tests.Support;
using Flywheel.Testing.ChatServer;

namespace Flywheel.Evals.Tests.Judges;

public sealed class LlmGroundTruthMatchEvaluatorTests
{
    private const string Evaluators = """[{ "name": "answer", "kind": "ground-truth-match", "method": "llm" }]""";

    [Fact]
    public async Task The_judge_request_reaches_the_server_through_the_OpenAI_SDK_with_prompt_schema_and_key()
    {
        await using var server = await ChatCompletionsServer.StartAsync(TestContext.Current.CancellationToken);
        using var suite = new JudgeSuite(server.Endpoint, Evaluators);

        await using var result = await suite.RunAsync();

        Assert.Equal(3, server.RequestCount); // one per row with expected answers
        var prompt = File.ReadAllText(Path.Combine(suite.Root, "evaluators/prompts/ground-truth-match.md"));
        foreach (var request in server.Requests)
        {
            Assert.Equal($"Bearer {suite.Key}", request.Authorization);
            Assert.Equal("judge-model", request.Model);
            Assert.Equal("json_schema", request.ResponseFormatType);
            Assert.Equal("flywheel_ground_truth_match", request.ResponseSchemaName);
            Assert.Equal(0.0, request.Temperature);
            Assert.Null(request.Seed);
            var (role, system) = request.Messages[0];
            Assert.Equal("system", role);
            Assert.StartsWith(prompt.TrimEnd(), system, StringComparison.Ordinal);
            using var payload = JsonDocument.Parse(request.Messages[1].Content);
            Assert.True(payload.RootElement.TryGetProperty("expected_answers", out _));
            Assert.True(payload.RootElement.TryGetProperty("response", out _));
        }
    }

    [Fact]
    public async Task The_grade_maps_to_a_score_and_passes_at_grade_four()
    {
        await using var server = await ChatCompletionsServer.StartAsync(TestContext.Current.CancellationToken);
        using var suite = new JudgeSuite(server.Endpoint, Evaluators);

        await using var result = await suite.RunAsync();

        var scores = result.Run.Rows.Where(r => r.Scores.Count > 0).ToDictionary(r => r.Id, r => r.Scores.Single());
        Assert.Equal((1.0, true), (scores["pay-0001"].Value, scores["pay-0001"].Passed)); // same facts, other words: grade 5
        Assert.Equal((0.0, false), (scores["pay-0002"].Value, scores["pay-0002"].Passed)); // wrong amount: grade 1
        Assert.Contains("judge grade 1/5 (0.00 < 0.75)", scores["pay-0002"].Reason, StringComparison.Ordinal);
        Assert.Equal(1, ((JsonElement)scores["pay-0002"].Details!["grade"]!).GetInt32()); // failing rows keep their details
        Assert.False(scores.ContainsKey("wire-0001")); // no expected answers: the evaluator does not apply
        Assert.Equal(Verdicts.Passed, result.Run.Verdict); // 2 of 3 rows pass >= 0.5
        Assert.Equal(0, result.Run.UndecidedScores);
    }
}
