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

    /// <summary>The row tagged with a locale (what numeric matching reads separators by); null leaves it untagged.</summary>
    public static Row InLocale(this Row row, string? locale) =>
        row with { Tags = locale is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["locale"] = locale } };

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

    public static GroundednessEvaluator Grounded(double? threshold = null, double? minSupport = null) =>
        new(new EvaluatorConfig { Name = "grounded", Kind = EvaluatorKinds.Groundedness, Method = "lexical", Threshold = threshold, MinSupport = minSupport });
}
