using System.Text.Json;
using System.Text.RegularExpressions;

namespace Flywheel.Evals.Schemas;

/// <summary>
/// A fast check that a row satisfies row.schema.json, for the gate's hot path. NJsonSchema stays the authority:
/// it produces the messages for rows this check rejects, runs on every row in <c>flywheel validate</c>, and a test
/// holds the two to the same verdict over every kind of violation.
/// </summary>
public static partial class RowShape
{
    /// <summary>True when the row satisfies row.schema.json.</summary>
    public static bool IsValid(JsonElement row)
    {
        if (row.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        bool hasId = false, hasTags = false, hasInput = false;
        foreach (var property in row.EnumerateObject())
        {
            var value = property.Value;
            var ok = property.Name switch
            {
                "id" => hasId = value.ValueKind == JsonValueKind.String && IdPattern().IsMatch(value.GetString()!) && value.GetString()!.Length <= 200,
                "tags" => hasTags = value.ValueKind == JsonValueKind.Object && value.EnumerateObject().All(t => TagKeyPattern().IsMatch(t.Name) && t.Value.ValueKind == JsonValueKind.String),
                "input" => hasInput = value.ValueKind == JsonValueKind.Array && value.GetArrayLength() >= 1 && value.EnumerateArray().All(IsMessage),
                "context" => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(IsChunk),
                "expected" => IsExpected(value),
                "tools" => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(IsTool),
                "source" => IsStringObject(value, ["trace_id", "failure_mode", "promoted_by", "promoted_at"], []),
                "review" => IsReview(value),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return hasId && hasTags && hasInput;
    }

    private static bool IsMessage(JsonElement message) =>
        IsStringObject(message, ["role", "content", "name", "tool_call_id"], ["role", "content"]) &&
        message.GetProperty("role").GetString() is "system" or "user" or "assistant" or "tool";

    private static bool IsChunk(JsonElement chunk) =>
        IsStringObject(chunk, ["id", "text", "source"], ["id", "text"]) && chunk.GetProperty("id").GetString()!.Length > 0;

    private static bool IsExpected(JsonElement expected)
    {
        if (expected.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var property in expected.EnumerateObject())
        {
            var value = property.Value;
            var ok = property.Name switch
            {
                "answers" => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(a => a.ValueKind == JsonValueKind.String),
                "tool_calls" => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(IsExpectedCall),
                "tool_order" => value.ValueKind == JsonValueKind.String && value.GetString() is "any" or "strict",
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsExpectedCall(JsonElement call)
    {
        if (call.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var hasName = false;
        foreach (var property in call.EnumerateObject())
        {
            var value = property.Value;
            var ok = property.Name switch
            {
                "name" => hasName = value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0,
                "arguments" => value.ValueKind == JsonValueKind.Object && value.EnumerateObject().All(a => a.Value.ValueKind == JsonValueKind.Array && a.Value.GetArrayLength() >= 1),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return hasName;
    }

    private static bool IsTool(JsonElement tool)
    {
        if (tool.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var hasName = false;
        foreach (var property in tool.EnumerateObject())
        {
            var value = property.Value;
            var ok = property.Name switch
            {
                "name" => hasName = value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0,
                "description" => value.ValueKind == JsonValueKind.String,
                "parameters" => value.ValueKind == JsonValueKind.Object,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return hasName;
    }

    private static bool IsReview(JsonElement review)
    {
        if (review.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var hasStatus = false;
        foreach (var property in review.EnumerateObject())
        {
            var value = property.Value;
            var ok = property.Name switch
            {
                "status" => hasStatus = value.ValueKind == JsonValueKind.String && value.GetString() is "approved" or "pending" or "disputed",
                "reviewers" => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(r => r.ValueKind == JsonValueKind.String),
                "labels" => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(l => IsStringObject(l, ["reviewer", "label", "note"], ["reviewer", "label"])),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return hasStatus;
    }

    // An object whose properties are all strings, drawn from `allowed`, with every `required` one present.
    private static bool IsStringObject(JsonElement element, string[] allowed, string[] required)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var present = 0;
        foreach (var property in element.EnumerateObject())
        {
            if (System.Array.IndexOf(allowed, property.Name) < 0 || property.Value.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            if (System.Array.IndexOf(required, property.Name) >= 0)
            {
                present++;
            }
        }

        return present == required.Length;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z0-9_.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex TagKeyPattern();
}
