using System.Text.Json;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Reports;

/// <summary>run.json: written by every gate, read back by <c>flywheel report</c>.</summary>
public sealed class RunJson : IRunReport
{
    /// <inheritdoc />
    public string Format => "json";

    /// <inheritdoc />
    public string? FileName => "run.json";

    /// <inheritdoc />
    public async Task WriteAsync(Run run, TextWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        // Serialize to a buffer per call: rows stream from the spool, the text goes straight to the writer.
        await using var stream = new MemoryStream();
        await WriteAsync(run, stream, cancellationToken).ConfigureAwait(false);
        stream.Position = 0;
        using var reader = new StreamReader(stream);
        await writer.WriteAsync(await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>Writes run.json to a stream, streaming the rows so memory does not grow with them.</summary>
    /// <remarks>
    /// System.Text.Json buffers a custom-converted value whole before flushing, which for 100,000 rows is most of the
    /// process's memory; so the small parts are serialized as one element and the rows are copied in flushed chunks.
    /// </remarks>
    public static async Task WriteAsync(Run run, Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var header = JsonSerializer.SerializeToElement(run with { Rows = RunRows.FromList([]) }, FlywheelJson.Info<Run>());
        await using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = FlywheelJson.Options.Encoder, SkipValidation = true });
        writer.WriteStartObject();
        foreach (var property in header.EnumerateObject())
        {
            if (property.Name != "rows")
            {
                property.WriteTo(writer);
                continue;
            }

            writer.WritePropertyName("rows");
            writer.WriteStartArray();
            var count = 0;
            foreach (var line in run.Rows.RawUtf8Lines())
            {
                writer.WriteRawValue(line.Span, skipInputValidation: true);
                if (++count % 256 == 0)
                {
                    await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        stream.WriteByte((byte)'\n');
    }

    /// <summary>Writes run.json to a file.</summary>
    public static async Task WriteFileAsync(Run run, string path, CancellationToken cancellationToken)
    {
        await Flywheel.Evals.Files.AtomicFile.WriteAsync(path, (stream, ct) => WriteAsync(run, stream, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a run.json file: the rows that did not pass are held in memory, all rows stream from the file when enumerated.</summary>
    /// <exception cref="FlywheelInputException">The file is missing or is not a Flywheel run.</exception>
    public static async Task<Run> ReadFileAsync(string path, string display, CancellationToken cancellationToken) =>
        (await RunFileReader.ReadAsync(path, display, keepNotPassing: true, cancellationToken).ConfigureAwait(false)).Run;
}
