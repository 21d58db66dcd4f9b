using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Flywheel.Evals.Runs;

/// <summary>The rows of a run. During a gate they stream from a spool file, so memory grows with failures, not with rows.</summary>
[JsonConverter(typeof(RunRowsConverter))]
public sealed class RunRows : IEnumerable<RunRow>
{
    private readonly IReadOnlyList<RunRow>? _list;
    private readonly RunFile? _file;

    private RunRows(IReadOnlyList<RunRow>? list, string? spoolPath, int count, IReadOnlyList<RunRow> notPassing, RunFile? file = null)
    {
        _list = list;
        SpoolPath = spoolPath;
        Count = count;
        NotPassing = notPassing;
        _file = file;
    }

    /// <summary>How many rows the run has.</summary>
    public int Count { get; }

    /// <summary>The rows that did not pass (failed, undecided, or not gating), in dataset order; these are always in memory.</summary>
    public IReadOnlyList<RunRow> NotPassing { get; }

    /// <summary>The spool file holding one row per line, when the rows stream from disk.</summary>
    internal string? SpoolPath { get; }

    /// <summary>Rows held in memory (a run read back from run.json, or a test).</summary>
    public static RunRows FromList(IReadOnlyList<RunRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return new RunRows(rows, null, rows.Count, rows.Where(r => r.Passed != true).ToList());
    }

    /// <summary>Rows spooled to a JSON Lines file.</summary>
    internal static RunRows FromSpool(string path, int count, IReadOnlyList<RunRow> notPassing) => new(null, path, count, notPassing);

    /// <summary>Rows of a run.json read back: the ones that did not pass in memory, all of them re-read from the file when enumerated.</summary>
    internal static RunRows FromFile(string path, string display, long length, DateTime lastWriteUtc, int count, IReadOnlyList<RunRow> notPassing) =>
        new(null, null, count, notPassing, new RunFile(path, display, length, lastWriteUtc));

    /// <inheritdoc />
    public IEnumerator<RunRow> GetEnumerator()
    {
        if (_list is not null)
        {
            return _list.GetEnumerator();
        }

        if (_file is not null)
        {
            _file.EnsureUnchanged();
            return Reports.RunFileReader.Rows(_file.Path, _file.Display).GetEnumerator();
        }

        return ReadSpool().GetEnumerator();
    }

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The UTF-8 JSON of each row: spooled rows as their bytes (no decode to text and back), in-memory rows serialized.</summary>
    /// <remarks>A spooled line's memory is reused for the next line: use it before moving on.</remarks>
    internal IEnumerable<ReadOnlyMemory<byte>> RawUtf8Lines()
    {
        if (SpoolPath is not null)
        {
            return SpoolLines(SpoolPath);
        }

        if (_file is not null)
        {
            _file.EnsureUnchanged();
            return Reports.RunFileReader.RawRows(_file.Path).Select(r => r.Raw);
        }

        return _list!.Select(row => (ReadOnlyMemory<byte>)JsonSerializer.SerializeToUtf8Bytes(row, FlywheelJson.Info<RunRow>()));
    }

    // The spool's lines as File.ReadLines splits them: the writer escapes every CR and LF inside JSON, so a line ends at LF.
    private static IEnumerable<ReadOnlyMemory<byte>> SpoolLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        var buffer = new byte[1 << 16];
        var start = 0;
        var end = 0;
        while (true)
        {
            if (end == buffer.Length)
            {
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }
                else
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
            }

            var read = stream.Read(buffer, end, buffer.Length - end);
            end += read;
            int newline;
            while ((newline = Array.IndexOf(buffer, (byte)'\n', start, end - start)) >= 0)
            {
                yield return buffer.AsMemory(start, newline - start);
                start = newline + 1;
            }

            if (read == 0)
            {
                if (start < end)
                {
                    yield return buffer.AsMemory(start, end - start);
                }

                yield break;
            }
        }
    }

    // The spool is a local file this process wrote a moment ago; reading it synchronously keeps the enumerable simple
    // for every report renderer, and the cost is a sequential read.
    private IEnumerable<RunRow> ReadSpool()
    {
        foreach (var line in File.ReadLines(SpoolPath!))
        {
            yield return JsonSerializer.Deserialize(line, FlywheelJson.Info<RunRow>())!;
        }
    }

    private sealed record RunFile(string Path, string Display, long Length, DateTime LastWriteUtc)
    {
        // Rows read back from run.json are not held in memory; if the file is rewritten meanwhile they would silently
        // come from another run, so that is refused.
        public void EnsureUnchanged()
        {
            var info = new FileInfo(Path);
            if (!info.Exists || info.Length != Length || info.LastWriteTimeUtc != LastWriteUtc)
            {
                throw new InvalidOperationException($"{Display} changed or disappeared after it was read; read it again to enumerate its rows");
            }
        }
    }
}
