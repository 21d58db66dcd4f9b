using System.Globalization;
using System.Text.Json;

namespace Flywheel.Action.Tests.Support;

/// <summary>A generated suite for report-size tests: each row in a cohort of its own (intent=iNNNNN) under a gate that wants every row right, so each wrong answer fails one gate.</summary>
internal static class ManyCohorts
{
    public const string Suite =
        """
        {
          "datasets": ["datasets/demo"],
          "target": { "kind": "recorded", "responses": "responses.jsonl" },
          "evaluators": [ { "name": "answer", "kind": "ground-truth-match", "method": "exact" } ],
          "gates": [ { "cohort": "intent=*", "min_pass_rate": 1.0 } ]
        }
        """;

    /// <summary><paramref name="count"/> rows, each expecting <paramref name="answer"/> (by default "yes").</summary>
    public static string Rows(int count, string answer = "yes") => string.Join('\n', Enumerable.Range(1, count).Select(i => JsonSerializer.Serialize(new
    {
        id = Id(i),
        tags = new Dictionary<string, string> { ["intent"] = "i" + i.ToString("00000", CultureInfo.InvariantCulture), ["locale"] = "en-US" },
        input = new[] { new { role = "user", content = $"Question {i}?" } },
        expected = new { answers = new[] { answer } },
    })));

    /// <summary>A response per row: <paramref name="output"/> for every row.</summary>
    public static string Responses(int count, string output) =>
        string.Join('\n', Enumerable.Range(1, count).Select(i => JsonSerializer.Serialize(new { id = Id(i), output, model = "test-model" })));

    private static string Id(int i) => "r-" + i.ToString("00000", CultureInfo.InvariantCulture);
}
