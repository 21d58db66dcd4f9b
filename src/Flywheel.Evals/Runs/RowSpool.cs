using System.Text.Json;

namespace Flywheel.Evals.Runs;

/// <summary>Writes scored rows to a temporary JSON Lines file as they are produced; deletes it when disposed.</summary>
internal sealed class RowSpool : IAsyncDisposable
{
    private readonly FileStream _stream;
    private readonly Utf8JsonWriter _writer;
    private readonly List<RunRow> _notPassing = [];
    private int _count;

    public RowSpool()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"flywheel-rows-{Guid.NewGuid():N}.jsonl");
        _stream = new FileStream(Path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 1 << 16, FileOptions.None);
        _writer = new Utf8JsonWriter(_stream, new JsonWriterOptions { Encoder = FlywheelJson.Options.Encoder, SkipValidation = true });
    }

    public string Path { get; }

    public void Add(RunRow row)
    {
        JsonSerializer.Serialize(_writer, row, FlywheelJson.Options);
        _writer.Flush();
        _writer.Reset();
        _stream.WriteByte((byte)'\n');
        _count++;
        if (row.Passed != true)
        {
            _notPassing.Add(row);
        }
    }

    public async Task<RunRows> CompleteAsync(CancellationToken cancellationToken)
    {
        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        return RunRows.FromSpool(Path, _count, _notPassing);
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // A spool left in the temp folder is harmless; failing the run over it would not be.
        }
    }
}
