using System.Buffers;
using System.Text.Json;

namespace Flywheel.Evals.Runs;

/// <summary>Writes scored rows to a temporary JSON Lines file as they are produced; deletes it when disposed.</summary>
internal sealed class RowSpool : IAsyncDisposable
{
    private readonly FileStream _stream;

    // Rows are written to memory and copied to the file in large pieces: a writer over the file stream would flush the
    // stream, a system call, for every row.
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);
    private readonly Utf8JsonWriter _writer;

    // Where each row that did not pass lies in the file. Such rows are read back when the run completes instead of being
    // held meanwhile: kept in memory, every failing row (and what it points to) survived collection after collection,
    // which was half of a gate's time in GC pauses.
    private readonly List<(long Offset, int Length)> _notPassing = [];
    private long _flushed;
    private int _count;

    /// <remarks>
    /// The spool lives in the system temp folder, never in an output folder: a killed run leaves at most this
    /// <c>flywheel-rows-*.jsonl</c> there, nothing a reader of the outputs could take for a run.
    /// </remarks>
    public RowSpool()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"flywheel-rows-{Guid.NewGuid():N}.jsonl");
        try
        {
            _stream = new FileStream(Path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 1 << 16, FileOptions.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CannotWrite(ex);
        }

        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = FlywheelJson.Options.Encoder, SkipValidation = true });
    }

    public string Path { get; }

    /// <summary>Writes a row; once it returns, the row and everything it points to may be released.</summary>
    public void Add(RunRow row)
    {
        var start = _buffer.WrittenCount;
        if (!TryWriteSlim(_writer, row))
        {
            JsonSerializer.Serialize(_writer, row, FlywheelJson.Info<RunRow>());
        }

        _writer.Flush();
        _writer.Reset();
        if (row.Passed != true)
        {
            _notPassing.Add((_flushed + start, _buffer.WrittenCount - start));
        }

        _buffer.Write("\n"u8);
        if (_buffer.WrittenCount >= 1 << 15)
        {
            WriteBuffer();
        }

        _count++;
    }

    /// <summary>Finishes the file and reads the rows that did not pass back into memory.</summary>
    public async Task<RunRows> CompleteAsync(CancellationToken cancellationToken)
    {
        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        WriteBuffer();
        try
        {
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CannotWrite(ex);
        }

        return RunRows.FromSpool(Path, _count, await ReadNotPassingAsync(cancellationToken).ConfigureAwait(false));
    }

    // Apart from Add, which runs once per row, so that its failure handling stays off the hot path.
    private void WriteBuffer()
    {
        try
        {
            _stream.Write(_buffer.WrittenSpan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CannotWrite(ex);
        }

        _flushed += _buffer.WrittenCount;
        _buffer.ResetWrittenCount();
    }

    // A full or read-only temp folder is the machine's problem, not a bug: say which folder and how to move it.
    private Diagnostics.FlywheelInputException CannotWrite(Exception reason) =>
        new(new Diagnostics.Diagnostic(Path, 0, 0, Diagnostics.DiagnosticCodes.CannotWrite,
            $"cannot write the run's temporary row file: {Files.AtomicFile.Why(reason)}; point TMPDIR (TEMP on Windows) at a folder with room"));

    private async Task<RunRow[]> ReadNotPassingAsync(CancellationToken cancellationToken)
    {
        // The rows' bytes first, then built on every core: this runs after the last row, when the pipeline's threads are idle.
        var lines = new ReadOnlyMemory<byte>[_notPassing.Count];
        for (var i = 0; i < lines.Length; i++)
        {
            var (offset, length) = _notPassing[i];
            var bytes = GC.AllocateUninitializedArray<byte>(length);
            var read = 0;
            while (read < length)
            {
                var n = await RandomAccess.ReadAsync(_stream.SafeFileHandle, bytes.AsMemory(read), offset + read, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new IOException($"the row spool {Path} ended before the row at byte {offset}");
                }

                read += n;
            }

            lines[i] = bytes;
        }

        var rows = new RunRow[lines.Length];
        Parallel.For(0, lines.Length, new ParallelOptions { CancellationToken = cancellationToken }, i => rows[i] = RunRowBuilder.Build(lines[i]));
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        try
        {
            // Closing flushes what is buffered: on a full disk that fails again, and must not hide why the run stopped.
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The spool is being thrown away; what it could not hold no longer matters.
        }

        try
        {
            File.Delete(Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A spool left in the temp folder is harmless; failing the run over it would not be.
        }
    }

    /// <summary>
    /// Writes a row that carries no input, context, expectation, tool calls or details (every passing row, once slimmed)
    /// exactly as the serializer would: same property order, names, omitted nulls and number forms. False, having written
    /// nothing, for any other row. Reflection-based serialization was a tenth of the gate's time per row.
    /// </summary>
    internal static bool TryWriteSlim(Utf8JsonWriter writer, RunRow row)
    {
        if (row.Input is not null || row.Context is not null || row.Expected is not null || row.Response?.ToolCalls is not null || row.Response?.Output is not null)
        {
            return false;
        }

        foreach (var score in row.Scores)
        {
            if (score.Details is not null)
            {
                return false;
            }
        }

        writer.WriteStartObject();
        writer.WriteString(Names.Dataset, row.Dataset);
        writer.WriteString(Names.Id, row.Id);
        if (row.Line is { } line)
        {
            writer.WriteNumber(Names.Line, line);
        }

        writer.WriteStartObject(Names.Tags);
        foreach (var (key, value) in row.Tags)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
        writer.WriteString(Names.Review, row.Review);
        if (row.Passed is { } passed)
        {
            writer.WriteBoolean(Names.Passed, passed);
        }

        if (row.Error is not null)
        {
            writer.WriteString(Names.Error, row.Error);
        }

        writer.WriteStartArray(Names.Scores);
        foreach (var score in row.Scores)
        {
            writer.WriteStartObject();
            writer.WriteString(Names.Evaluator, score.Evaluator);
            if (score.Value is { } value)
            {
                writer.WriteNumber(Names.Score, value);
            }

            if (score.Passed is { } scorePassed)
            {
                writer.WriteBoolean(Names.Passed, scorePassed);
            }

            if (score.Reason is not null)
            {
                writer.WriteString(Names.Reason, score.Reason);
            }

            if (score.Error is not null)
            {
                writer.WriteString(Names.Error, score.Error);
            }

            if (score.Unstable is { } unstable)
            {
                writer.WriteBoolean(Names.Unstable, unstable);
            }

            if (score.Votes is { } votes)
            {
                writer.WriteStartArray(Names.Votes);
                foreach (var vote in votes)
                {
                    writer.WriteStringValue(vote);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (row.Response is { } response)
        {
            writer.WriteStartObject(Names.Response);
            if (response.Dataset is not null)
            {
                writer.WriteString(Names.Dataset, response.Dataset);
            }

            writer.WriteString(Names.Id, response.Id);
            if (response.Model is not null)
            {
                writer.WriteString(Names.Model, response.Model);
            }

            if (response.LatencyMs is { } latency)
            {
                writer.WriteNumber(Names.LatencyMs, latency);
            }

            if (response.InputTokens is { } inputTokens)
            {
                writer.WriteNumber(Names.InputTokens, inputTokens);
            }

            if (response.OutputTokens is { } outputTokens)
            {
                writer.WriteNumber(Names.OutputTokens, outputTokens);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        return true;
    }

    private static class Names
    {
        public static readonly JsonEncodedText Dataset = JsonEncodedText.Encode("dataset");
        public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
        public static readonly JsonEncodedText Line = JsonEncodedText.Encode("line");
        public static readonly JsonEncodedText Tags = JsonEncodedText.Encode("tags");
        public static readonly JsonEncodedText Review = JsonEncodedText.Encode("review");
        public static readonly JsonEncodedText Passed = JsonEncodedText.Encode("passed");
        public static readonly JsonEncodedText Error = JsonEncodedText.Encode("error");
        public static readonly JsonEncodedText Scores = JsonEncodedText.Encode("scores");
        public static readonly JsonEncodedText Evaluator = JsonEncodedText.Encode("evaluator");
        public static readonly JsonEncodedText Score = JsonEncodedText.Encode("score");
        public static readonly JsonEncodedText Reason = JsonEncodedText.Encode("reason");
        public static readonly JsonEncodedText Unstable = JsonEncodedText.Encode("unstable");
        public static readonly JsonEncodedText Votes = JsonEncodedText.Encode("votes");
        public static readonly JsonEncodedText Response = JsonEncodedText.Encode("response");
        public static readonly JsonEncodedText Model = JsonEncodedText.Encode("model");
        public static readonly JsonEncodedText LatencyMs = JsonEncodedText.Encode("latency_ms");
        public static readonly JsonEncodedText InputTokens = JsonEncodedText.Encode("input_tokens");
        public static readonly JsonEncodedText OutputTokens = JsonEncodedText.Encode("output_tokens");
    }
}
