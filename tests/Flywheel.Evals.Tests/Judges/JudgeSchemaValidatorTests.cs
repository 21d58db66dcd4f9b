using System.Text.Json;
using Flywheel.Evals.Judges;

namespace Flywheel.Evals.Tests.Judges;

public sealed class JudgeSchemaValidatorTests
{
    [Theory]
    [InlineData("""{"grade": 4, "reason": "ok"}""", null)]
    [InlineData("""{"grade": 0, "reason": "ok"}""", "$.grade is 0, below the minimum 1")]
    [InlineData("""{"grade": 4.5, "reason": "ok"}""", "$.grade must be integer, not a number")]
    [InlineData("""{"grade": "5", "reason": "ok"}""", "$.grade must be integer, not a string")]
    [InlineData("""{"reason": "ok"}""", "$.grade is missing")]
    [InlineData("""{"grade": 4, "reason": "ok", "confidence": 0.9}""", "$.confidence is not a property the answer may have")]
    [InlineData("""[4]""", "$ must be object, not an array")]
    public void Ground_truth_answers(string answer, string? problem) =>
        Assert.Equal(problem, Check(answer, LlmGroundTruthMatchEvaluator.AnswerSchema));

    [Theory]
    [InlineData("""{"claims": []}""", null)]
    [InlineData("""{"claims": [{"claim": "a", "verdict": "supported", "chunk": null, "reason": "r"}]}""", null)]
    [InlineData("""{"claims": [{"claim": "a", "verdict": "supported", "chunk": "c1", "reason": "r"}]}""", null)]
    [InlineData("""{"claims": [{"claim": "a", "verdict": "maybe", "chunk": null, "reason": "r"}]}""", "$.claims[0].verdict must be one of \"supported\", \"contradicted\", \"not_mentioned\", not \"maybe\"")]
    [InlineData("""{"claims": [{"claim": "a", "verdict": "supported", "chunk": 3, "reason": "r"}]}""", "$.claims[0].chunk must be string or null, not an integer")]
    [InlineData("""{"claims": [{"claim": "a", "verdict": "supported", "reason": "r"}]}""", "$.claims[0].chunk is missing")]
    public void Groundedness_answers(string answer, string? problem) =>
        Assert.Equal(problem, Check(answer, LlmGroundednessEvaluator.AnswerSchema));

    private static string? Check(string answer, JudgeAnswerSchema schema)
    {
        using var document = JsonDocument.Parse(answer);
        return JudgeSchemaValidator.FirstProblem(document.RootElement, schema.Element);
    }
}
