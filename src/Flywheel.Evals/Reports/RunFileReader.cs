using System.Buffers;
using System.Text.Json;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Reports;

/// <summary>
/// Reads run.json with <see cref="RunJsonScanner"/>: every part but the rows is deserialized, rows that passed are only
/// counted, and the others (what reports show) are deserialized in full.
/// </summary>
internal static class RunFileReader
{
    private const string Schema = "flywheel.run/v1";

    /// <summary>Reads a run and how many rows it has; with <paramref name="keepNotPassing"/> its rows stream from the file again when enumerated, else it has none.</summary>
    /// <param name="path">The run file.</param>
    /// <param name="display">The file as named in diagnostics.</param>
    /// <param name="keepNotPassing">False to only count rows (a run read for its cohorts, e.g. history).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="FlywheelInputException">The file is missing or not a Flywheel run.</exception>
    public static async Task<(Run Run, int RowCount)> ReadAsync(string path, string display, bool keepNotPassing, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FlywheelInputException(new Diagnostic(display, 0, 0, DiagnosticCodes.FileNotFound, "run file does not exist"));
        }

        var info = new FileInfo(path);
        var header = new ArrayBufferWriter<byte>(16 * 1024);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var notPassing = new List<RunRow>();
        var count = 0;
        var sawRows = false;
        string? schema = null;
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            using var scanner = new RunJsonScanner(stream);
            using var writer = new Utf8JsonWriter(header, new JsonWriterOptions { SkipValidation = true });
            writer.WriteStartObject();
            try
            {
                while (await scanner.NextAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (scanner.Kind == RunJsonItem.Property)
                    {
                        lines[scanner.Name] = scanner.Line;
                        if (scanner.Name == "schema")
                        {
                            schema = ReadString(scanner.Value.Span);
                        }

                        writer.WritePropertyName(scanner.Name);
                        writer.WriteRawValue(scanner.Value.Span, skipInputValidation: true);
                        continue;
                    }

                    count++;
                    if (keepNotPassing && !RowPassed(scanner.Value.Span))
                    {
                        notPassing.Add(DeserializeRow(scanner.Value.Span, scanner.Line, display));
                    }

                    if ((count & 0xFFF) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                }
            }
            catch (JsonException ex)
            {
                throw new FlywheelInputException(new Diagnostic(display, (int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1, DiagnosticCodes.BadBaseline, $"not a readable run: {JsonErrors.Describe(ex)}"));
            }

            sawRows = scanner.SawRows;
            writer.WritePropertyName("rows");
            writer.WriteStartArray();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        if (schema != Schema)
        {
            throw new FlywheelInputException(new Diagnostic(display, lines.GetValueOrDefault("schema", 1), 1, DiagnosticCodes.BadBaseline, $"not a Flywheel run (expected \"schema\": \"{Schema}\")"));
        }

        if (!sawRows)
        {
            throw new FlywheelInputException(new Diagnostic(display, 1, 1, DiagnosticCodes.BadBaseline, "not a readable run: it has no \"rows\" array"));
        }

        Run run;
        try
        {
            run = JsonSerializer.Deserialize(header.WrittenSpan, FlywheelJson.Info<Run>())!;
        }
        catch (JsonException ex)
        {
            // The header was reassembled from the file's properties: name the line where the offending property starts.
            var property = ex.Path is { Length: > 2 } p ? p[2..].Split('.', '[')[0] : string.Empty;
            throw new FlywheelInputException(new Diagnostic(display, lines.GetValueOrDefault(property, 1), 1, DiagnosticCodes.BadBaseline, $"not a readable run: {JsonErrors.Describe(ex)}"));
        }

        RunConsistency.Check(run, display, lines);
        var rows = keepNotPassing ? RunRows.FromFile(path, display, info.Length, info.LastWriteTimeUtc, count, notPassing) : RunRows.FromList([]);
        return (run with { Rows = rows }, count);
    }

    /// <summary>Every row of a run file, deserialized one at a time.</summary>
    public static IEnumerable<RunRow> Rows(string path, string display)
    {
        foreach (var (raw, line) in RawRows(path))
        {
            yield return DeserializeRow(raw.Span, line, display);
        }
    }

    /// <summary>The raw JSON of every row of a run file, valid until the next row is read.</summary>
    public static IEnumerable<(ReadOnlyMemory<byte> Raw, int Line)> RawRows(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        using var scanner = new RunJsonScanner(stream);
        while (scanner.Next())
        {
            if (scanner.Kind == RunJsonItem.Row)
            {
                yield return (scanner.Value, scanner.Line);
            }
        }
    }

    /// <summary>True when the row's own <c>passed</c> is true; scans only the row's top-level properties.</summary>
    internal static bool RowPassed(ReadOnlySpan<byte> row)
    {
        var reader = new Utf8JsonReader(row, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isPassed = reader.ValueTextEquals("passed"u8);
            reader.Read();
            if (isPassed)
            {
                return reader.TokenType == JsonTokenType.True;
            }

            reader.Skip();
        }

        return false;
    }

    /// <summary>Deserializes one row; a malformed row is an input error naming its line.</summary>
    /// <param name="raw">The row's JSON.</param>
    /// <param name="line">The line of the file where the row starts.</param>
    /// <param name="display">The file as named in diagnostics.</param>
    /// <param name="what">How the message names the row, e.g. "baseline row".</param>
    internal static RunRow DeserializeRow(ReadOnlySpan<byte> raw, int line, string display, string what = "a row")
    {
        try
        {
            return JsonSerializer.Deserialize(raw, FlywheelJson.Info<RunRow>())
                ?? throw new JsonException("a row is null");
        }
        catch (JsonException ex)
        {
            throw new FlywheelInputException(new Diagnostic(display, line + (int)(ex.LineNumber ?? 0), 1, DiagnosticCodes.BadBaseline, $"{what} is malformed: {JsonErrors.Describe(ex)}"));
        }
    }

    /// <summary>The value when it is a JSON string, else null.</summary>
    internal static string? ReadString(ReadOnlySpan<byte> value)
    {
        var reader = new Utf8JsonReader(value);
        return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
    }
}
