using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Flywheel.Evals.Runs;

/// <summary>Writes the rows of a run as a JSON array (copying spooled rows verbatim) and reads them back into memory.</summary>
internal sealed class RunRowsConverter : JsonConverter<RunRows>
{
    public override RunRows Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var rows = JsonSerializer.Deserialize(ref reader, (JsonTypeInfo<List<RunRow>>)options.GetTypeInfo(typeof(List<RunRow>))) ?? [];
        return RunRows.FromList(rows);
    }

    public override void Write(Utf8JsonWriter writer, RunRows value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var line in value.RawUtf8Lines())
        {
            writer.WriteRawValue(line.Span, skipInputValidation: true);
        }

        writer.WriteEndArray();
    }
}
