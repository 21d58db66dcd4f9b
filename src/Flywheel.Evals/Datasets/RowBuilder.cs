using System.Text.Json;

namespace Flywheel.Evals.Datasets;

/// <summary>Builds a <see cref="Row"/> from a row's JSON that passed the shape check, without a second parse.</summary>
/// <remarks>
/// The serializer's JsonElement properties each copy their value into a document of their own; a row carries several
/// (tool schemas, acceptable argument values). Building from one cloned root keeps every element pointing into a
/// single document, which cut the gate's allocations per row by more than half.
/// </remarks>
internal static class RowBuilder
{
    /// <param name="root">The row.</param>
    /// <param name="line">Its line.</param>
    /// <param name="tools">Where tool lists are shared.</param>
    /// <param name="knownTools">The row's tool list when the caller has already found it in <paramref name="tools"/>.</param>
    public static Row Build(JsonElement root, int line, ToolListCache tools, IReadOnlyList<ToolDefinition>? knownTools = null)
    {
        return new Row
        {
            Id = root.GetProperty("id"u8).GetString()!,
            Tags = Tags(root.GetProperty("tags"u8)),
            Input = Messages(root.GetProperty("input"u8)),
            Context = root.TryGetProperty("context"u8, out var context) ? Chunks(context) : null,
            Expected = root.TryGetProperty("expected"u8, out var expected) ? Expectation(expected) : null,
            Tools = root.TryGetProperty("tools"u8, out var toolsJson)
                ? knownTools ?? tools.GetOrBuild(toolsJson, Tools)
                : null,
            Source = root.TryGetProperty("source"u8, out var source)
                ? new RowSource
                {
                    TraceId = String(source, "trace_id"u8),
                    FailureMode = String(source, "failure_mode"u8),
                    PromotedBy = String(source, "promoted_by"u8),
                    PromotedAt = String(source, "promoted_at"u8),
                }
                : null,
            Review = root.TryGetProperty("review"u8, out var review)
                ? new RowReview
                {
                    Status = review.GetProperty("status"u8).GetString()!,
                    Reviewers = review.TryGetProperty("reviewers"u8, out var reviewers) ? Map(reviewers, r => r.GetString()!) : null,
                    Labels = review.TryGetProperty("labels"u8, out var labels)
                        ? Map(labels, l => new ReviewLabel { Reviewer = l.GetProperty("reviewer"u8).GetString()!, Label = l.GetProperty("label"u8).GetString()!, Note = String(l, "note"u8) })
                        : null,
                }
                : null,
            Line = line,
        };
    }

    /// <summary>The flat string map of a "tags" object.</summary>
    public static Dictionary<string, string> Tags(JsonElement tags)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags.EnumerateObject())
        {
            map[tag.Name] = tag.Value.GetString()!;
        }

        return map;
    }

    /// <summary>The messages of an "input" array.</summary>
    public static List<RowMessage> Messages(JsonElement input) => Map(input, m => new RowMessage
    {
        Role = m.GetProperty("role"u8).GetString()!,
        Content = m.GetProperty("content"u8).GetString()!,
        Name = String(m, "name"u8),
        ToolCallId = String(m, "tool_call_id"u8),
    });

    /// <summary>The chunks of a "context" array.</summary>
    public static List<ContextChunk> Chunks(JsonElement context) =>
        Map(context, c => new ContextChunk { Id = c.GetProperty("id"u8).GetString()!, Text = c.GetProperty("text"u8).GetString()!, Source = String(c, "source"u8) });

    private static List<ToolDefinition> Tools(JsonElement tools) => Map(tools, t => new ToolDefinition
    {
        Name = t.GetProperty("name"u8).GetString()!,
        Description = String(t, "description"u8),
        Parameters = t.TryGetProperty("parameters"u8, out var parameters) ? parameters : null,
    });

    /// <summary>An "expected" object.</summary>
    public static Expectation Expectation(JsonElement expected) => new()
    {
        Answers = expected.TryGetProperty("answers"u8, out var answers) ? Map(answers, a => a.GetString()!) : null,
        ToolCalls = expected.TryGetProperty("tool_calls"u8, out var calls)
            ? Map(calls, c =>
            {
                Dictionary<string, IReadOnlyList<JsonElement>>? arguments = null;
                if (c.TryGetProperty("arguments"u8, out var args))
                {
                    arguments = new Dictionary<string, IReadOnlyList<JsonElement>>(StringComparer.Ordinal);
                    foreach (var argument in args.EnumerateObject())
                    {
                        arguments[argument.Name] = Map(argument.Value, v => v);
                    }
                }

                return new ExpectedToolCall { Name = c.GetProperty("name"u8).GetString()!, Arguments = arguments };
            })
            : null,
        ToolOrder = String(expected, "tool_order"u8),
    };

    /// <summary>Maps each item of a JSON array.</summary>
    public static List<T> Map<T>(JsonElement array, Func<JsonElement, T> map)
    {
        var list = new List<T>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            list.Add(map(item));
        }

        return list;
    }

    /// <summary>A string property, or null when it is absent.</summary>
    public static string? String(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out var value) ? value.GetString() : null;
}
