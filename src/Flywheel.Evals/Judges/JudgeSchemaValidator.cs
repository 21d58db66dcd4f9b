using System.Globalization;
using System.Text.Json;

namespace Flywheel.Evals.Judges;

/// <summary>
/// Checks a judge's answer against its schema: the subset of JSON Schema that strict structured output uses (type, properties,
/// required, additionalProperties: false, items, enum, minimum, maximum, minLength). Every answer of a run is checked, so it
/// works on the parsed <see cref="JsonElement"/> instead of re-parsing the text into another document model.
/// </summary>
public static class JudgeSchemaValidator
{
    /// <summary>The first problem of <paramref name="value"/> against <paramref name="schema"/>, or null when it is valid.</summary>
    public static string? FirstProblem(JsonElement value, JsonElement schema) => Check(value, schema, "$");

    private static string? Check(JsonElement value, JsonElement schema, string path)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (schema.TryGetProperty("type", out var type) && !TypeMatches(value, type))
        {
            return $"{path} must be {Describe(type)}, not {Kind(value)}";
        }

        if (schema.TryGetProperty("enum", out var allowed) && allowed.ValueKind == JsonValueKind.Array &&
            !allowed.EnumerateArray().Any(a => JsonElement.DeepEquals(a, value)))
        {
            return $"{path} must be one of {string.Join(", ", allowed.EnumerateArray().Select(a => a.GetRawText()))}, not {Short(value)}";
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                var number = value.GetDouble();
                if (schema.TryGetProperty("minimum", out var minimum) && number < minimum.GetDouble())
                {
                    return $"{path} is {Short(value)}, below the minimum {minimum.GetRawText()}";
                }

                if (schema.TryGetProperty("maximum", out var maximum) && number > maximum.GetDouble())
                {
                    return $"{path} is {Short(value)}, above the maximum {maximum.GetRawText()}";
                }

                break;
            case JsonValueKind.String:
                if (schema.TryGetProperty("minLength", out var minLength) && value.GetString()!.Length < minLength.GetInt32())
                {
                    return $"{path} is shorter than {minLength.GetInt32()} character(s)";
                }

                break;
            case JsonValueKind.Array:
                if (schema.TryGetProperty("items", out var items))
                {
                    var index = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        if (Check(item, items, $"{path}[{index++}]") is { } problem)
                        {
                            return problem;
                        }
                    }
                }

                break;
            case JsonValueKind.Object:
                return CheckObject(value, schema, path);
        }

        return null;
    }

    private static string? CheckObject(JsonElement value, JsonElement schema, string path)
    {
        var hasProperties = schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object;
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!value.TryGetProperty(name, out _))
                {
                    return $"{path}.{name} is missing";
                }
            }
        }

        var closed = schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.False;
        foreach (var property in value.EnumerateObject())
        {
            if (hasProperties && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                if (Check(property.Value, propertySchema, $"{path}.{property.Name}") is { } problem)
                {
                    return problem;
                }
            }
            else if (closed)
            {
                return $"{path}.{property.Name} is not a property the answer may have";
            }
        }

        return null;
    }

    private static bool TypeMatches(JsonElement value, JsonElement type) => type.ValueKind switch
    {
        JsonValueKind.String => IsType(value, type.GetString()!),
        JsonValueKind.Array => type.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && IsType(value, t.GetString()!)),
        _ => true,
    };

    private static bool IsType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    private static string Describe(JsonElement type) => type.ValueKind == JsonValueKind.Array
        ? string.Join(" or ", type.EnumerateArray().Select(t => t.GetString()))
        : type.GetString() ?? type.GetRawText();

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.TryGetInt64(out _) ? "an integer" : "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        _ => "null",
    };

    private static string Short(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 39), "…");
    }
}
