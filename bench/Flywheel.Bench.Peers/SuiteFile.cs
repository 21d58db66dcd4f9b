using System.Text.Json;

namespace Flywheel.Bench.Peers;

/// <summary>One evaluator of the suite, as far as the promptfoo translation needs it.</summary>
internal sealed record SuiteEvaluator(string Name, string Kind, string? Method, double? Threshold, double? MinSupport);

/// <summary>The parts of a generated suite's <c>evaluators/flywheel.json</c> the comparison reads: one dataset, recorded responses, evaluators.</summary>
/// <remarks>Flywheel itself validates the suite when it runs it; this only refuses shapes the bench cannot mirror.</remarks>
internal sealed record SuiteFile(string Dataset, string Responses, IReadOnlyList<SuiteEvaluator> Evaluators)
{
    public static SuiteFile Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new BenchInputException($"{path}: no such file (generate the suite first)");
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        var datasets = root.GetProperty("datasets");
        if (datasets.GetArrayLength() != 1)
        {
            throw new BenchInputException($"{path}: the comparison needs exactly one dataset, not {datasets.GetArrayLength()}");
        }

        var target = root.GetProperty("target");
        if (target.GetProperty("kind").GetString() != "recorded" || !target.TryGetProperty("responses", out var responses))
        {
            throw new BenchInputException($"{path}: the comparison needs a recorded target with a responses file");
        }

        var evaluators = root.GetProperty("evaluators").EnumerateArray().Select(e => new SuiteEvaluator(
            e.GetProperty("name").GetString()!,
            e.GetProperty("kind").GetString()!,
            e.TryGetProperty("method", out var m) ? m.GetString() : null,
            e.TryGetProperty("threshold", out var t) ? t.GetDouble() : null,
            e.TryGetProperty("min_support", out var s) ? s.GetDouble() : null)).ToList();
        return new SuiteFile(datasets[0].GetString()!, responses.GetString()!, evaluators);
    }
}
