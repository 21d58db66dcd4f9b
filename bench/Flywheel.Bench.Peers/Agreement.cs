using System.Text.Json;

namespace Flywheel.Bench.Peers;

/// <summary>
/// Do both tools reach the same verdicts? Compares every row's pass/fail, and every evaluator's, between Flywheel's run.json
/// and promptfoo's results (<c>-o results.json</c> or <c>-o results.jsonl</c>), where promptfoo's assertions carry the
/// evaluator's name as their metric. Prints each disagreement (up to --show) and exits 1 when there is any.
/// </summary>
internal static class Agreement
{
    public static async Task<int> RunAsync(Options options, CancellationToken cancellationToken)
    {
        options.Allow("--flywheel", "--promptfoo", "--show");
        var flywheelPath = options.Required("--flywheel");
        var promptfooPath = options.Required("--promptfoo");
        var show = options.Int("--show", 20);
        var flywheel = await ReadFlywheelAsync(flywheelPath, cancellationToken);
        var promptfoo = await ReadPromptfooAsync(promptfooPath, cancellationToken);

        var problems = new List<string>();
        var evaluatorChecks = 0;
        var rowsPassed = 0;
        foreach (var (id, row) in flywheel)
        {
            if (!promptfoo.Remove(id, out var other))
            {
                problems.Add($"{id}: in Flywheel's run, not in promptfoo's results");
                continue;
            }

            rowsPassed += row.Passed ? 1 : 0;
            if (row.Passed != other.Passed)
            {
                problems.Add($"{id}: row {Verdict(row.Passed)} in Flywheel, {Verdict(other.Passed)} in promptfoo");
            }

            foreach (var (evaluator, passed) in row.Evaluators)
            {
                evaluatorChecks++;
                if (!other.Evaluators.TryGetValue(evaluator, out var otherPassed))
                {
                    problems.Add($"{id} · {evaluator}: promptfoo has no assertion with metric '{evaluator}'");
                }
                else if (passed != otherPassed)
                {
                    problems.Add($"{id} · {evaluator}: {Verdict(passed)} in Flywheel ({row.Reasons[evaluator]}), {Verdict(otherPassed)} in promptfoo ({other.Reasons[evaluator]})");
                }
            }
        }

        problems.AddRange(promptfoo.Keys.Select(id => $"{id}: in promptfoo's results, not in Flywheel's run"));
        if (problems.Count == 0)
        {
            Console.WriteLine($"agreement: both tools give the same verdict on all {flywheel.Count} rows ({rowsPassed} passed) and all {evaluatorChecks} evaluator scores");
            return 0;
        }

        Console.WriteLine($"agreement: {problems.Count} DISAGREEMENT(S) over {flywheel.Count} rows:");
        foreach (var problem in problems.Take(show))
        {
            Console.WriteLine($"  {problem}");
        }

        if (problems.Count > show)
        {
            Console.WriteLine($"  … and {problems.Count - show} more");
        }

        return 1;
    }

    private static string Verdict(bool passed) => passed ? "passed" : "failed";

    private static async Task<Dictionary<string, Verdicts>> ReadFlywheelAsync(string path, CancellationToken cancellationToken)
    {
        using var document = await OpenAsync(path, cancellationToken);
        var rows = new Dictionary<string, Verdicts>(StringComparer.Ordinal);
        foreach (var row in document.RootElement.GetProperty("rows").EnumerateArray())
        {
            var verdicts = new Verdicts(row.GetProperty("passed").GetBoolean());
            foreach (var score in row.GetProperty("scores").EnumerateArray())
            {
                var name = score.GetProperty("evaluator").GetString()!;
                // An undecided score (error, no passed) disagrees with any verdict promptfoo gives.
                verdicts.Evaluators[name] = score.TryGetProperty("passed", out var passed) && passed.GetBoolean();
                verdicts.Reasons[name] = Short(score.TryGetProperty("reason", out var reason) ? reason.GetString() : score.TryGetProperty("error", out var error) ? "error: " + error.GetString() : null);
            }

            rows[row.GetProperty("id").GetString()!] = verdicts;
        }

        return rows;
    }

    private static async Task<Dictionary<string, Verdicts>> ReadPromptfooAsync(string path, CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, Verdicts>(StringComparer.Ordinal);
        if (path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            var lineNumber = 0;
            await foreach (var line in File.ReadLinesAsync(path, cancellationToken))
            {
                lineNumber++;
                if (!string.IsNullOrWhiteSpace(line))
                {
                    using var result = JsonDocument.Parse(line);
                    Add(results, result.RootElement, $"{path}({lineNumber},1)");
                }
            }

            return results;
        }

        using var document = await OpenAsync(path, cancellationToken);
        var index = 0;
        foreach (var result in document.RootElement.GetProperty("results").GetProperty("results").EnumerateArray())
        {
            Add(results, result, $"{path}: results[{index++}]");
        }

        return results;
    }

    private static void Add(Dictionary<string, Verdicts> results, JsonElement result, string where)
    {
        var id = result.GetProperty("testCase").GetProperty("description").GetString()
            ?? throw new BenchInputException($"{where}: a result without a test description (the row id)");
        var verdicts = new Verdicts(result.GetProperty("success").GetBoolean());
        if (result.TryGetProperty("gradingResult", out var grading) && grading.ValueKind == JsonValueKind.Object &&
            grading.TryGetProperty("componentResults", out var components))
        {
            foreach (var component in components.EnumerateArray())
            {
                if (component.TryGetProperty("assertion", out var assertion) && assertion.ValueKind == JsonValueKind.Object &&
                    assertion.TryGetProperty("metric", out var metric) && metric.GetString() is { } name)
                {
                    verdicts.Evaluators[name] = component.GetProperty("pass").GetBoolean();
                    verdicts.Reasons[name] = Short(component.TryGetProperty("reason", out var reason) ? reason.GetString() : null);
                }
            }
        }

        if (!results.TryAdd(id, verdicts))
        {
            throw new BenchInputException($"{where}: a second result for '{id}'");
        }
    }

    private static async Task<JsonDocument> OpenAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new BenchInputException($"{path}: no such file");
        }

        await using var stream = File.OpenRead(path);
        try
        {
            return await JsonDocument.ParseAsync(stream, default, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new BenchInputException($"{path}({(ex.LineNumber ?? 0) + 1},{(ex.BytePositionInLine ?? 0) + 1}): not valid JSON: {ex.Message}");
        }
    }

    private static string Short(string? text) => text is null ? "no reason" : text.Length <= 140 ? text : string.Concat(text.AsSpan(0, 139), "…");

    private sealed record Verdicts(bool Passed)
    {
        public Dictionary<string, bool> Evaluators { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Reasons { get; } = new(StringComparer.Ordinal);
    }
}
