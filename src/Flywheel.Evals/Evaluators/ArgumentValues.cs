using System.Text;
using System.Text.Json;

namespace Flywheel.Evals.Evaluators;

/// <summary>BFCL's value rules: strings compared without spaces and , . / - _ * ^ and case; numbers by value; lists element-wise; dicts key-wise.</summary>
internal static class ArgumentValues
{
    /// <summary>True when <paramref name="actual"/> is an acceptable form of <paramref name="acceptable"/> under the parameter's schema.</summary>
    public static bool Matches(JsonElement actual, JsonElement acceptable, JsonElement? schema)
    {
        var type = TypeOf(schema);
        switch (acceptable.ValueKind)
        {
            case JsonValueKind.Object:
                return actual.ValueKind == JsonValueKind.Object && DictMatches(actual, acceptable, schema);
            case JsonValueKind.Array:
                if (actual.ValueKind != JsonValueKind.Array || actual.GetArrayLength() != acceptable.GetArrayLength())
                {
                    return false;
                }

                var items = Items(schema);
                for (var i = 0; i < acceptable.GetArrayLength(); i++)
                {
                    if (!Matches(actual[i], acceptable[i], items))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.String:
                if (actual.ValueKind == JsonValueKind.String)
                {
                    return SameStandardized(actual.GetString()!, acceptable.GetString()!);
                }

                // "5" against 5 is only the same value when the schema says the parameter is a string.
                return type == "string" && actual.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False &&
                       SameStandardized(actual.GetRawText(), acceptable.GetString()!);
            case JsonValueKind.Number:
                if (actual.ValueKind == JsonValueKind.Number)
                {
                    if (type == "integer" && !IsIntegerLiteral(actual))
                    {
                        return false;
                    }

                    return JsonStructure.NumbersEqual(actual, acceptable);
                }

                return type == "string" && actual.ValueKind == JsonValueKind.String &&
                       SameStandardized(actual.GetString()!, acceptable.GetRawText());
            case JsonValueKind.True:
            case JsonValueKind.False:
                return actual.ValueKind is JsonValueKind.True or JsonValueKind.False && actual.GetBoolean() == acceptable.GetBoolean();
            case JsonValueKind.Null:
                return actual.ValueKind == JsonValueKind.Null;
            default:
                return false;
        }
    }

    /// <summary>True when a parameter takes a string, or its schema does not say: free text a judge may read.</summary>
    public static bool IsStringOrUntyped(JsonElement? schema) => TypeOf(schema) is null or "string";

    /// <summary>Compact display of a value: strings bare, everything else as JSON.</summary>
    public static string Display(JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        return GroundTruthMatchEvaluator.Trim(text, 60);
    }

    private static bool DictMatches(JsonElement actual, JsonElement acceptable, JsonElement? schema)
    {
        var properties = Properties(schema);
        foreach (var property in actual.EnumerateObject())
        {
            if (!acceptable.TryGetProperty(property.Name, out _))
            {
                return false;
            }
        }

        foreach (var rule in acceptable.EnumerateObject())
        {
            // Inside a dict, each key again lists its acceptable values (BFCL's possible-answer form).
            var options = rule.Value.ValueKind == JsonValueKind.Array ? rule.Value.EnumerateArray().ToList() : [rule.Value];
            JsonElement? inner = properties is { } p && p.TryGetProperty(rule.Name, out var s) ? s : null;
            if (!actual.TryGetProperty(rule.Name, out var value))
            {
                if (!options.Any(o => o.ValueKind == JsonValueKind.String && o.GetString()!.Length == 0))
                {
                    return false;
                }

                continue;
            }

            if (!options.Any(o => Matches(value, o, inner)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsIntegerLiteral(JsonElement number)
    {
        var raw = number.GetRawText();
        return raw.IndexOfAny(['.', 'e', 'E']) < 0;
    }

    private static string? TypeOf(JsonElement? schema)
    {
        if (schema is not { ValueKind: JsonValueKind.Object } s || !s.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        // Tool schemas come both as JSON Schema and in BFCL's Python-flavoured dialect.
        return type.GetString() switch
        {
            "integer" or "int" => "integer",
            "number" or "float" or "double" => "number",
            "string" or "str" => "string",
            "boolean" or "bool" => "boolean",
            "array" or "tuple" or "list" => "array",
            "object" or "dict" => "object",
            var other => other,
        };
    }

    private static JsonElement? Items(JsonElement? schema) =>
        schema is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("items", out var items) ? items : null;

    private static JsonElement? Properties(JsonElement? schema) =>
        schema is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("properties", out var properties) ? properties : null;

    // BFCL's standardization (drop white space and , . / - _ * ^, lower-case) compared on the fly: the strings equal once
    // standardized exactly when their kept characters, lower-cased, are the same sequence. Allocates nothing.
    internal static bool SameStandardized(string left, string right)
    {
        var i = 0;
        var j = 0;
        while (true)
        {
            while (i < left.Length && IsDropped(left[i]))
            {
                i++;
            }

            while (j < right.Length && IsDropped(right[j]))
            {
                j++;
            }

            if (i == left.Length || j == right.Length)
            {
                return i == left.Length && j == right.Length;
            }

            if (char.ToLowerInvariant(left[i]) != char.ToLowerInvariant(right[j]))
            {
                return false;
            }

            i++;
            j++;
        }
    }

    internal static string Standardize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (IsDropped(c))
            {
                continue;
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    private static bool IsDropped(char c) => char.IsWhiteSpace(c) || c is ',' or '.' or '/' or '-' or '_' or '*' or '^';
}
