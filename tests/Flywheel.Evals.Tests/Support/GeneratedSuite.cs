using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Flywheel.Evals.Tests.Support;

/// <summary>
/// A suite written to disk for report tests: rows over a few intents, each answered right or wrong as asked, with
/// any text the test wants in its input, context, answer or tags.
/// </summary>
internal sealed class GeneratedSuite : IDisposable
{
    private readonly TempDirectory _directory = new();

    /// <param name="rows">Each row: its intent, whether its response is right, and optional text for its input, context and response.</param>
    /// <param name="gates">The suite's "gates" array as JSON.</param>
    public GeneratedSuite(IReadOnlyList<GeneratedRow> rows, string gates = """[{"cohort": "intent=*", "min_pass_rate": 0.9}]""")
    {
        var lines = new StringBuilder();
        var responses = new StringBuilder();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var id = "r-" + (i + 1).ToString("0000", CultureInfo.InvariantCulture);
            var tags = new Dictionary<string, string> { ["intent"] = row.Intent, ["locale"] = row.Locale };
            lines.AppendLine(JsonSerializer.Serialize(new
            {
                id,
                tags,
                input = new[] { new { role = "user", content = row.Input ?? $"Question {id}?" } },
                context = new[] { new { id = "doc-1", text = row.Context ?? $"The answer to {id} is yes." } },
                expected = new { answers = new[] { "yes" } },
            }));
            responses.AppendLine(JsonSerializer.Serialize(new { id, output = row.Right ? "yes" : row.Output ?? "no", model = "test-model" }));
        }

        _directory.Write("datasets/demo/dataset.json", """{"name":"demo","version":"1.2.0","cohort_keys":["intent","locale"]}""");
        _directory.Write("datasets/demo/rows.jsonl", lines.ToString());
        _directory.Write("responses.jsonl", responses.ToString());
        _directory.Write("evaluators/flywheel.json", $$"""
            {
              "datasets": ["datasets/demo"],
              "target": { "kind": "recorded", "responses": "responses.jsonl" },
              "evaluators": [ { "name": "answer", "kind": "ground-truth-match", "method": "exact" } ],
              "gates": {{gates}}
            }
            """);
    }

    public string Root => _directory.Path;

    public string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Rows over intents a, b, c: the first <paramref name="failing"/> are answered wrong.</summary>
    public static GeneratedSuite WithFailures(int total, int failing) =>
        new(Enumerable.Range(0, total).Select(i => new GeneratedRow(((char)('a' + (i % 3))).ToString(), i >= failing)).ToList());

    public void Dispose() => _directory.Dispose();
}

/// <summary>One row of a <see cref="GeneratedSuite"/>.</summary>
internal sealed record GeneratedRow(string Intent, bool Right, string? Input = null, string? Context = null, string? Output = null, string Locale = "en-US");
