using System.Text.Json;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Evaluators;
using Flywheel.Evals.Suites;
using Flywheel.Evals.Targets;

namespace Flywheel.Evals.Tests.Evaluators;

/// <summary>Builds rows, responses and evaluators for hand-made evaluator cases.</summary>
internal static class EvaluatorCases
{
    public static Row Row(string json) => JsonSerializer.Deserialize<Row>(json, FlywheelJson.Options)!;

    public static Row Answers(params string[] answers) => Row(JsonSerializer.Serialize(new
    {
        id = "r",
        tags = new Dictionary<string, string>(),
        input = new[] { new { role = "user", content = "q" } },
        expected = new { answers },
    }));

    public static Row Context(params string[] chunks) => Row(JsonSerializer.Serialize(new
    {
        id = "r",
        tags = new Dictionary<string, string>(),
        input = new[] { new { role = "user", content = "q" } },
        context = chunks.Select((text, i) => new { id = $"c{i + 1}", text }).ToArray(),
    }));

    public static Response Output(string? output, string? toolCallsJson = null) =>
        JsonSerializer.Deserialize<Response>($$"""{"id":"r","output":{{JsonSerializer.Serialize(output)}}{{(toolCallsJson is null ? string.Empty : ",\"tool_calls\":" + toolCallsJson)}}}""", FlywheelJson.Options)!;

    public static async Task<Score> Score(IEvaluator evaluator, Row row, Response response)
    {
        Assert.True(evaluator.AppliesTo(row), "the evaluator should apply to this row");
        return await evaluator.EvaluateAsync(new EvaluationContext("ds", row, response), TestContext.Current.CancellationToken);
    }

    public static GroundTruthMatchEvaluator Match(string method, double? threshold = null, double? tolerance = null) =>
        new(new EvaluatorConfig { Name = "answer", Kind = EvaluatorKinds.GroundTruthMatch, Method = method, Threshold = threshold, Tolerance = tolerance });
}
