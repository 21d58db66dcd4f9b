using System.Text.Json;
using System.Text.Json.Nodes;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Targets;

namespace Flywheel.Evals.Tests.Evaluators;

/// <summary>The Berkeley Function Calling Leaderboard sample in shared/data/bfcl, read in place (never copied into the repository).</summary>
internal static class BfclSample
{
    public static string? Folder { get; } = Find();

    public static string SkipReason => "the BFCL sample (shared/data/bfcl beside the repository) is not on this machine";

    public static IReadOnlyList<BfclCase> Cases { get; } = Load();

    private static string? Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "data", "bfcl");
            if (File.Exists(Path.Combine(candidate, "simple.jsonl")))
            {
                return candidate;
            }
        }

        return null;
    }

    private static List<BfclCase> Load()
    {
        if (Folder is null)
        {
            return [];
        }

        var cases = new List<BfclCase>();
        foreach (var file in new[] { "simple", "multiple", "parallel", "parallel_multiple" })
        {
            foreach (var line in File.ReadLines(Path.Combine(Folder, file + ".jsonl")).Where(l => l.Length > 0))
            {
                cases.Add(new BfclCase(file, JsonNode.Parse(line)!.AsObject()));
            }
        }

        return cases;
    }
}

/// <summary>One BFCL case turned into a Flywheel row, with ways to build right and wrong responses.</summary>
internal sealed record BfclCase(string Category, JsonObject Json)
{
    public string Id => Json["id"]!.GetValue<string>();

    public Row ToRow()
    {
        var question = Json["question"]![0]!.AsArray();
        var row = new JsonObject
        {
            ["id"] = Id,
            ["tags"] = new JsonObject { ["category"] = Category },
            ["input"] = question.DeepClone(),
            ["expected"] = new JsonObject { ["tool_calls"] = new JsonArray(GroundTruth().Select(g => (JsonNode)new JsonObject { ["name"] = g.Name, ["arguments"] = g.Arguments.DeepClone() }).ToArray()) },
            ["tools"] = Json["function"]!.DeepClone(),
        };
        return JsonSerializer.Deserialize<Row>(row.ToJsonString(), FlywheelJson.Options)!;
    }

    public IReadOnlyList<(string Name, JsonObject Arguments)> GroundTruth() =>
        Json["ground_truth"]!.AsArray().Select(g => g!.AsObject().Single()).Select(kv => (kv.Key, kv.Value!.AsObject())).ToList();

    public IReadOnlyList<string> Required(string function) =>
        Json["function"]!.AsArray().Single(f => f!["name"]!.GetValue<string>() == function)!["parameters"]!["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToList() ?? [];

    /// <summary>The ground truth made concrete: the first acceptable value of each argument; optional ones ("" acceptable) left out.</summary>
    public List<JsonObject> CorrectCalls() => GroundTruth().Select(g =>
    {
        var arguments = new JsonObject();
        foreach (var (name, values) in g.Arguments)
        {
            var first = values!.AsArray().FirstOrDefault(v => !IsOmit(v));
            if (first is null || values.AsArray().Any(IsOmit) && !Required(g.Name).Contains(name))
            {
                continue;
            }

            arguments[name] = Concrete(first);
        }

        return new JsonObject { ["name"] = g.Name, ["arguments"] = arguments };
    }).ToList();

    public static Response Respond(IEnumerable<JsonObject> calls)
    {
        var json = new JsonObject { ["id"] = "x", ["tool_calls"] = new JsonArray(calls.Select(c => (JsonNode)c.DeepClone()).ToArray()) };
        return JsonSerializer.Deserialize<Response>(json.ToJsonString(), FlywheelJson.Options)!;
    }

    private static bool IsOmit(JsonNode? value) => value is JsonValue v && v.TryGetValue<string>(out var s) && s.Length == 0;

    // A nested dict in a possible answer lists acceptable values per key: pick the first of each.
    private static JsonNode? Concrete(JsonNode? value) => value switch
    {
        JsonObject dict => new JsonObject(dict.Select(kv => KeyValuePair.Create(kv.Key, kv.Value is JsonArray options ? Concrete(options.FirstOrDefault(o => !IsOmit(o))) : Concrete(kv.Value)))
            .Where(kv => kv.Value is not null)),
        JsonArray list => new JsonArray(list.Select(Concrete).ToArray()),
        _ => value?.DeepClone(),
    };
}
