using System.Runtime.InteropServices;
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
    /// <remarks>Runs on every row of a gate, so it allocates nothing: names and enum values are compared as UTF-8.</remarks>
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
            bool ok;
            if (property.NameEquals("id"u8))
            {
                ok = hasId = IsId(value);
            }
            else if (property.NameEquals("tags"u8))
            {
                ok = hasTags = IsTags(value);
            }
            else if (property.NameEquals("input"u8))
            {
                ok = hasInput = value.ValueKind == JsonValueKind.Array && value.GetArrayLength() >= 1 && All(value, IsMessage);
            }
            else if (property.NameEquals("context"u8))
            {
                ok = value.ValueKind == JsonValueKind.Array && All(value, IsChunk);
            }
            else if (property.NameEquals("expected"u8))
            {
                ok = IsExpected(value);
            }
            else if (property.NameEquals("tools"u8))
            {
                ok = value.ValueKind == JsonValueKind.Array && All(value, IsTool);
            }
            else if (property.NameEquals("source"u8))
            {
                ok = IsStringObject(value, SourceField, 0);
            }
            else
            {
                ok = property.NameEquals("review"u8) && IsReview(value);
            }

            if (!ok)
            {
                return false;
            }
        }

        return hasId && hasTags && hasInput;
    }

    private static bool IsId(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        var raw = JsonMarshal.GetRawUtf8Value(value);
        raw = raw[1..^1];
        if (raw.Contains((byte)'\\'))
        {
            // Escapes are rare in ids; the pattern is checked on the unescaped text as before.
            var id = value.GetString()!;
            return IdPattern().IsMatch(id) && id.Length <= 200;
        }

        // Unescaped, the pattern is ASCII: one UTF-8 byte per character (any other byte fails it).
        if (raw.IsEmpty || raw.Length > 200 || !char.IsAsciiLetterOrDigit((char)raw[0]))
        {
            return false;
        }

        foreach (var b in raw)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'.' or (byte)'_' or (byte)':' or (byte)'-'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsTags(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var tag in value.EnumerateObject())
        {
            if (!IsTagKey(tag) || tag.Value.ValueKind != JsonValueKind.String)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsTagKey(JsonProperty tag)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(tag);
        if (raw.Contains((byte)'\\'))
        {
            return TagKeyPattern().IsMatch(tag.Name);
        }

        if (raw.IsEmpty)
        {
            return false;
        }

        foreach (var b in raw)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'_' or (byte)'.' or (byte)'-'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool All(JsonElement array, Func<JsonElement, bool> predicate)
    {
        foreach (var item in array.EnumerateArray())
        {
            if (!predicate(item))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllStrings(JsonElement array)
    {
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsMessage(JsonElement message) =>
        IsStringObject(message, MessageField, 2) && message.GetProperty("role"u8) is var role &&
        (role.ValueEquals("system"u8) || role.ValueEquals("user"u8) || role.ValueEquals("assistant"u8) || role.ValueEquals("tool"u8));

    private static bool IsChunk(JsonElement chunk) =>
        IsStringObject(chunk, ChunkField, 2) && !chunk.GetProperty("id"u8).ValueEquals(""u8);

    private static bool IsExpected(JsonElement expected)
    {
        if (expected.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var property in expected.EnumerateObject())
        {
            var value = property.Value;
            var ok = property.NameEquals("answers"u8) ? value.ValueKind == JsonValueKind.Array && AllStrings(value)
                : property.NameEquals("tool_calls"u8) ? value.ValueKind == JsonValueKind.Array && All(value, IsExpectedCall)
                : property.NameEquals("tool_order"u8) && value.ValueKind == JsonValueKind.String && (value.ValueEquals("any"u8) || value.ValueEquals("strict"u8));
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
            var ok = property.NameEquals("name"u8) ? hasName = IsNonEmptyString(value)
                : property.NameEquals("arguments"u8) && value.ValueKind == JsonValueKind.Object && AreValueLists(value);
            if (!ok)
            {
                return false;
            }
        }

        return hasName;
    }

    private static bool AreValueLists(JsonElement arguments)
    {
        foreach (var argument in arguments.EnumerateObject())
        {
            if (argument.Value.ValueKind != JsonValueKind.Array || argument.Value.GetArrayLength() < 1)
            {
                return false;
            }
        }

        return true;
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
            var ok = property.NameEquals("name"u8) ? hasName = IsNonEmptyString(value)
                : property.NameEquals("description"u8) ? value.ValueKind == JsonValueKind.String
                : property.NameEquals("parameters"u8) && value.ValueKind == JsonValueKind.Object;
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
            var ok = property.NameEquals("status"u8)
                ? hasStatus = value.ValueKind == JsonValueKind.String && (value.ValueEquals("approved"u8) || value.ValueEquals("pending"u8) || value.ValueEquals("disputed"u8))
                : property.NameEquals("reviewers"u8) ? value.ValueKind == JsonValueKind.Array && AllStrings(value)
                : property.NameEquals("labels"u8) && value.ValueKind == JsonValueKind.Array && All(value, l => IsStringObject(l, LabelField, 2));
            if (!ok)
            {
                return false;
            }
        }

        return hasStatus;
    }

    private static bool IsNonEmptyString(JsonElement value) => value.ValueKind == JsonValueKind.String && !value.ValueEquals(""u8);

    // An object whose properties are all strings with names `field` knows (-1 for others), where each of the first
    // `required` fields counts as present (every occurrence counts, as before) and all of them must be.
    private static bool IsStringObject(JsonElement element, Func<JsonProperty, int> field, int required)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var present = 0;
        foreach (var property in element.EnumerateObject())
        {
            var index = field(property);
            if (index < 0 || property.Value.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            if (index < required)
            {
                present++;
            }
        }

        return present == required;
    }

    private static int MessageField(JsonProperty p) =>
        p.NameEquals("role"u8) ? 0 : p.NameEquals("content"u8) ? 1 : p.NameEquals("name"u8) ? 2 : p.NameEquals("tool_call_id"u8) ? 3 : -1;

    private static int ChunkField(JsonProperty p) =>
        p.NameEquals("id"u8) ? 0 : p.NameEquals("text"u8) ? 1 : p.NameEquals("source"u8) ? 2 : -1;

    private static int LabelField(JsonProperty p) =>
        p.NameEquals("reviewer"u8) ? 0 : p.NameEquals("label"u8) ? 1 : p.NameEquals("note"u8) ? 2 : -1;

    private static int SourceField(JsonProperty p) =>
        p.NameEquals("trace_id"u8) || p.NameEquals("failure_mode"u8) || p.NameEquals("promoted_by"u8) || p.NameEquals("promoted_at"u8) ? 0 : -1;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z0-9_.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex TagKeyPattern();
}
