using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Flywheel.Evals.Schemas;

/// <summary>
/// A fast check that a row satisfies row.schema.json, for the gate's hot path. NJsonSchema stays the authority:
/// it produces the messages for rows this check rejects, runs on every row in <c>flywheel validate</c>, and a test
/// holds the two to the same verdict over every kind of violation.
/// </summary>
/// <remarks>
/// It also rejects a key twice in any object it walks, which JSON parsers accept (the last one wins) and a schema cannot
/// see: walking every object anyway, it costs a bit in a mask. Free-form parts (argument values) are walked for keys and
/// numbers beyond a double (anywhere else a number is a schema error); the caller then locates the problem with
/// <see cref="StrictJson.Check(System.ReadOnlySpan{byte}, JsonDocumentOptions)"/>. Tool lists are not walked for either:
/// DatasetReader checks each distinct one in full once.
/// </remarks>
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

        var seen = 0;
        foreach (var property in row.EnumerateObject())
        {
            var value = property.Value;
            bool ok;
            int bit;
            if (property.NameEquals("id"u8))
            {
                (ok, bit) = (IsId(value), 1);
            }
            else if (property.NameEquals("tags"u8))
            {
                (ok, bit) = (IsTags(value), 2);
            }
            else if (property.NameEquals("input"u8))
            {
                (ok, bit) = (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() >= 1 && All(value, IsMessage), 4);
            }
            else if (property.NameEquals("context"u8))
            {
                (ok, bit) = (value.ValueKind == JsonValueKind.Array && All(value, IsChunk), 8);
            }
            else if (property.NameEquals("expected"u8))
            {
                (ok, bit) = (IsExpected(value), 16);
            }
            else if (property.NameEquals("tools"u8))
            {
                (ok, bit) = (value.ValueKind == JsonValueKind.Array && All(value, IsTool), 32);
            }
            else if (property.NameEquals("source"u8))
            {
                (ok, bit) = (IsStringObject(value, SourceField, 0), 64);
            }
            else
            {
                (ok, bit) = (property.NameEquals("review"u8) && IsReview(value), 128);
            }

            if (!ok || !Once(ref seen, bit))
            {
                return false;
            }
        }

        return (seen & 7) == 7;
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
        if (value.ValueKind != JsonValueKind.Object || !StrictJson.IsStrict(value))
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

        var seen = 0;
        foreach (var property in expected.EnumerateObject())
        {
            var value = property.Value;
            var (ok, bit) = property.NameEquals("answers"u8) ? (value.ValueKind == JsonValueKind.Array && AllStrings(value), 1)
                : property.NameEquals("tool_calls"u8) ? (value.ValueKind == JsonValueKind.Array && All(value, IsExpectedCall), 2)
                : (property.NameEquals("tool_order"u8) && value.ValueKind == JsonValueKind.String && (value.ValueEquals("any"u8) || value.ValueEquals("strict"u8)), 4);
            if (!ok || !Once(ref seen, bit))
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

        var seen = 0;
        foreach (var property in call.EnumerateObject())
        {
            var value = property.Value;
            var (ok, bit) = property.NameEquals("name"u8) ? (IsNonEmptyString(value), 1)
                : (property.NameEquals("arguments"u8) && value.ValueKind == JsonValueKind.Object && AreValueLists(value), 2);
            if (!ok || !Once(ref seen, bit))
            {
                return false;
            }
        }

        return (seen & 1) != 0;
    }

    private static bool AreValueLists(JsonElement arguments)
    {
        // Argument names and accepted values are free-form JSON: walked whole for keys and numbers.
        if (!StrictJson.IsStrict(arguments))
        {
            return false;
        }

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

        var seen = 0;
        foreach (var property in tool.EnumerateObject())
        {
            var value = property.Value;
            var (ok, bit) = property.NameEquals("name"u8) ? (IsNonEmptyString(value), 1)
                : property.NameEquals("description"u8) ? (value.ValueKind == JsonValueKind.String, 2)
                : (property.NameEquals("parameters"u8) && value.ValueKind == JsonValueKind.Object, 4);
            if (!ok || !Once(ref seen, bit))
            {
                return false;
            }
        }

        return (seen & 1) != 0;
    }

    private static bool IsReview(JsonElement review)
    {
        if (review.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var seen = 0;
        foreach (var property in review.EnumerateObject())
        {
            var value = property.Value;
            var (ok, bit) = property.NameEquals("status"u8)
                ? (value.ValueKind == JsonValueKind.String && (value.ValueEquals("approved"u8) || value.ValueEquals("pending"u8) || value.ValueEquals("disputed"u8)), 1)
                : property.NameEquals("reviewers"u8) ? (value.ValueKind == JsonValueKind.Array && AllStrings(value), 2)
                : (property.NameEquals("labels"u8) && value.ValueKind == JsonValueKind.Array && All(value, l => IsStringObject(l, LabelField, 2)), 4);
            if (!ok || !Once(ref seen, bit))
            {
                return false;
            }
        }

        return (seen & 1) != 0;
    }

    private static bool IsNonEmptyString(JsonElement value) => value.ValueKind == JsonValueKind.String && !value.ValueEquals(""u8);

    // An object whose properties are all strings with names `field` knows (-1 for others), each at most once, where the
    // first `required` fields must all be present.
    private static bool IsStringObject(JsonElement element, Func<JsonProperty, int> field, int required)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var seen = 0;
        foreach (var property in element.EnumerateObject())
        {
            var index = field(property);
            if (index < 0 || property.Value.ValueKind != JsonValueKind.String || !Once(ref seen, 1 << index))
            {
                return false;
            }
        }

        var all = (1 << required) - 1;
        return (seen & all) == all;
    }

    /// <summary>Marks a known key as seen; false when it was seen before in the same object.</summary>
    private static bool Once(ref int seen, int bit)
    {
        if ((seen & bit) != 0)
        {
            return false;
        }

        seen |= bit;
        return true;
    }

    private static int MessageField(JsonProperty p) =>
        p.NameEquals("role"u8) ? 0 : p.NameEquals("content"u8) ? 1 : p.NameEquals("name"u8) ? 2 : p.NameEquals("tool_call_id"u8) ? 3 : -1;

    private static int ChunkField(JsonProperty p) =>
        p.NameEquals("id"u8) ? 0 : p.NameEquals("text"u8) ? 1 : p.NameEquals("source"u8) ? 2 : -1;

    private static int LabelField(JsonProperty p) =>
        p.NameEquals("reviewer"u8) ? 0 : p.NameEquals("label"u8) ? 1 : p.NameEquals("note"u8) ? 2 : -1;

    private static int SourceField(JsonProperty p) =>
        p.NameEquals("trace_id"u8) ? 0 : p.NameEquals("failure_mode"u8) ? 1 : p.NameEquals("promoted_by"u8) ? 2 : p.NameEquals("promoted_at"u8) ? 3 : -1;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z0-9_.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex TagKeyPattern();
}
