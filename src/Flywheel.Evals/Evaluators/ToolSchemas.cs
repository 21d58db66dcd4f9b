using System.Text.Json;
using Flywheel.Evals.Datasets;

namespace Flywheel.Evals.Evaluators;

/// <summary>Looks up a tool parameter's schema and whether it is required.</summary>
internal sealed class ToolSchemas(IReadOnlyList<ToolDefinition>? tools)
{
    public JsonElement? Parameter(string tool, string parameter)
    {
        var parameters = Parameters(tool);
        if (parameters is { ValueKind: JsonValueKind.Object } p &&
            p.TryGetProperty("properties"u8, out var properties) && properties.ValueKind == JsonValueKind.Object &&
            properties.TryGetProperty(parameter, out var schema))
        {
            return schema;
        }

        return null;
    }

    public bool IsRequired(string tool, string parameter)
    {
        var parameters = Parameters(tool);
        if (parameters is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("required"u8, out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var r in required.EnumerateArray())
            {
                if (r.ValueKind == JsonValueKind.String && r.GetString() == parameter)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The parameters the tool's schema requires, in schema order; none when the tool is unknown.</summary>
    public IReadOnlyList<string> Required(string tool)
    {
        var parameters = Parameters(tool);
        if (parameters is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("required"u8, out var required) && required.ValueKind == JsonValueKind.Array)
        {
            var names = new List<string>(required.GetArrayLength());
            foreach (var r in required.EnumerateArray())
            {
                if (r.ValueKind == JsonValueKind.String)
                {
                    names.Add(r.GetString()!);
                }
            }

            return names;
        }

        return [];
    }

    /// <summary>True when the tool's schema lists its parameters and <paramref name="parameter"/> is not one of them.</summary>
    /// <remarks>
    /// BFCL rejects any parameter outside the function's schema. A schema that declares <c>additionalProperties</c>
    /// (anything but <c>false</c>) opts in to extra parameters; an unknown tool or one without <c>properties</c> rejects nothing.
    /// </remarks>
    public bool IsUndeclared(string tool, string parameter)
    {
        if (Parameters(tool) is not { ValueKind: JsonValueKind.Object } p ||
            !p.TryGetProperty("properties"u8, out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (p.TryGetProperty("additionalProperties"u8, out var additional) && additional.ValueKind != JsonValueKind.False)
        {
            return false;
        }

        return !properties.TryGetProperty(parameter, out _);
    }

    private JsonElement? Parameters(string tool)
    {
        if (tools is null)
        {
            return null;
        }

        // The first tool of that name, as before; a loop rather than LINQ because this runs for every argument of every call.
        foreach (var t in tools)
        {
            if (t.Name == tool)
            {
                return t.Parameters;
            }
        }

        return null;
    }
}
