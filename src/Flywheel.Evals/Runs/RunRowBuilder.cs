using System.Text.Json;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Evaluators;
using Flywheel.Evals.Targets;
using static Flywheel.Evals.Datasets.RowBuilder;

namespace Flywheel.Evals.Runs;

/// <summary>Builds a <see cref="RunRow"/> from the JSON the spool wrote for it, from one parsed document.</summary>
/// <remarks>
/// The serializer gives every JsonElement-typed value (accepted argument values, details, call arguments) a document of
/// its own; a failing row has a dozen, and reading a gate's failing rows back that way cost as much as the collections
/// that keeping them in memory did. Here every element points into the row's one document. The input is the spool,
/// which this process wrote with the serializer: it is not a user's file and is not checked beyond what building needs.
/// </remarks>
internal static class RunRowBuilder
{
    public static RunRow Build(ReadOnlyMemory<byte> utf8)
    {
        var root = JsonDocument.Parse(utf8).RootElement;
        return new RunRow
        {
            Dataset = root.GetProperty("dataset"u8).GetString()!,
            Id = root.GetProperty("id"u8).GetString()!,
            Line = root.TryGetProperty("line"u8, out var line) ? line.GetInt32() : null,
            Tags = Tags(root.GetProperty("tags"u8)),
            Review = String(root, "review"u8) ?? ReviewStatuses.Approved,
            Passed = Bool(root, "passed"u8),
            Error = String(root, "error"u8),
            Scores = Map(root.GetProperty("scores"u8), Score),
            Input = root.TryGetProperty("input"u8, out var input) ? Messages(input) : null,
            Context = root.TryGetProperty("context"u8, out var context) ? Chunks(context) : null,
            Expected = root.TryGetProperty("expected"u8, out var expected) ? Expectation(expected) : null,
            Response = root.TryGetProperty("response"u8, out var response) ? Response(response) : null,
        };
    }

    private static Score Score(JsonElement score)
    {
        Dictionary<string, object?>? details = null;
        if (score.TryGetProperty("details"u8, out var detailsJson))
        {
            details = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var detail in detailsJson.EnumerateObject())
            {
                // As the serializer reads an object-typed value: a JsonElement, or null for JSON null.
                details[detail.Name] = detail.Value.ValueKind == JsonValueKind.Null ? null : detail.Value;
            }
        }

        return new Score
        {
            Evaluator = score.GetProperty("evaluator"u8).GetString()!,
            Value = score.TryGetProperty("score"u8, out var value) ? value.GetDouble() : null,
            Passed = Bool(score, "passed"u8),
            Reason = String(score, "reason"u8),
            Error = String(score, "error"u8),
            Unstable = Bool(score, "unstable"u8),
            Votes = score.TryGetProperty("votes"u8, out var votes) ? Map(votes, v => v.GetString()!) : null,
            Details = details,
        };
    }

    private static Response Response(JsonElement response) => new()
    {
        Dataset = String(response, "dataset"u8),
        Id = response.GetProperty("id"u8).GetString()!,
        Output = String(response, "output"u8),
        ToolCalls = response.TryGetProperty("tool_calls"u8, out var calls)
            ? Map(calls, c => new ResponseToolCall { Name = c.GetProperty("name"u8).GetString()!, Arguments = c.TryGetProperty("arguments"u8, out var arguments) ? arguments : null })
            : null,
        Model = String(response, "model"u8),
        LatencyMs = response.TryGetProperty("latency_ms"u8, out var latency) ? latency.GetDouble() : null,
        InputTokens = response.TryGetProperty("input_tokens"u8, out var inputTokens) ? inputTokens.GetInt64() : null,
        OutputTokens = response.TryGetProperty("output_tokens"u8, out var outputTokens) ? outputTokens.GetInt64() : null,
    };

    private static bool? Bool(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out var value) ? value.GetBoolean() : null;
}
