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
            p.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object &&
            properties.TryGetProperty(parameter, out var schema))
        {
            return schema;
        }

        return null;
    }

    public bool IsRequired(string tool, string parameter)
    {
        var parameters = Parameters(tool);
        if (parameters is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            return required.EnumerateArray().Any(r => r.ValueKind == JsonValueKind.String && r.GetString() == parameter);
        }

        return false;
    }

    private JsonElement? Parameters(string tool) => tools?.FirstOrDefault(t => t.Name == tool)?.Parameters;
}
