using System.Text.Json;
using Flywheel.Evals.Datasets;

namespace Flywheel.Evals.Judges;

/// <summary>Builds the case a judge reads: a JSON object whose fields the prompt files describe.</summary>
internal static class JudgePayload
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = FlywheelJson.Options.Encoder };

    /// <summary>Writes one JSON object.</summary>
    public static string Build(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The conversation the system under test answered, as <c>"input": [{"role", "content"}]</c>.</summary>
    public static void WriteInput(Utf8JsonWriter writer, Row row)
    {
        writer.WriteStartArray("input");
        foreach (var message in row.Input)
        {
            writer.WriteStartObject();
            writer.WriteString("role", message.Role);
            writer.WriteString("content", message.Content);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
