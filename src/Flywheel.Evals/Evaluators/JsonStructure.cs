using System.Text.Json;

namespace Flywheel.Evals.Evaluators;

/// <summary>Structural JSON comparison: key order ignored, numbers by value.</summary>
internal static class JsonStructure
{
    /// <summary>The path and nature of the first difference, or null when equal.</summary>
    public static string? FirstDifference(JsonElement expected, JsonElement actual, string path)
    {
        if (expected.ValueKind != actual.ValueKind &&
            !(IsBool(expected) && IsBool(actual)))
        {
            return $"{path}: expected {Describe(expected)}, got {Describe(actual)}";
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in expected.EnumerateObject())
                {
                    if (!actual.TryGetProperty(property.Name, out var other))
                    {
                        return $"{path}.{property.Name}: missing";
                    }

                    var inner = FirstDifference(property.Value, other, $"{path}.{property.Name}");
                    if (inner is not null)
                    {
                        return inner;
                    }
                }

                foreach (var property in actual.EnumerateObject())
                {
                    if (!expected.TryGetProperty(property.Name, out _))
                    {
                        return $"{path}.{property.Name}: unexpected";
                    }
                }

                return null;
            case JsonValueKind.Array:
                var left = expected.GetArrayLength();
                var right = actual.GetArrayLength();
                if (left != right)
                {
                    return $"{path}: expected {left} item(s), got {right}";
                }

                for (var i = 0; i < left; i++)
                {
                    var inner = FirstDifference(expected[i], actual[i], $"{path}[{i}]");
                    if (inner is not null)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Number:
                return NumbersEqual(expected, actual) ? null : $"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}";
            case JsonValueKind.String:
                return expected.GetString() == actual.GetString() ? null : $"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}";
            case JsonValueKind.True:
            case JsonValueKind.False:
                return expected.GetBoolean() == actual.GetBoolean() ? null : $"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}";
            default:
                return null;
        }
    }

    /// <summary>True when two JSON numbers have the same value (1 equals 1.0).</summary>
    public static bool NumbersEqual(JsonElement left, JsonElement right)
    {
        if (left.TryGetDecimal(out var a) && right.TryGetDecimal(out var b))
        {
            return a == b;
        }

        return left.GetDouble().Equals(right.GetDouble());
    }

    private static bool IsBool(JsonElement element) => element.ValueKind is JsonValueKind.True or JsonValueKind.False;

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"string {element.GetRawText()}",
        JsonValueKind.Number => $"number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        JsonValueKind.Null => "null",
        _ => element.ValueKind.ToString(),
    };
}
