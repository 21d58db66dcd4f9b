using System.Buffers;
using System.Runtime.CompilerServices;

namespace Flywheel.Evals.Datasets;

/// <summary>Streams the lines of a JSON Lines file with their 1-based numbers; a UTF-8 BOM and CRLF line ends are accepted.</summary>
public static class JsonLines
{
    /// <summary>Reads every non-blank line as UTF-8 bytes, skipping the decode to text that a parser would undo.</summary>
    /// <remarks>A BOM at the start and a CR before each LF are dropped; invalid UTF-8 surfaces when the line is parsed as JSON.</remarks>
    public static IAsyncEnumerable<JsonLine> ReadUtf8Async(string path, CancellationToken cancellationToken = default) =>
        ReadUtf8Async(path, pooled: false, cancellationToken);

    /// <summary>Reads every non-blank line as UTF-8 bytes; with <paramref name="pooled"/>, each line lies in a buffer rented from the shared array pool (<see cref="JsonLine.Pooled"/>).</summary>
    internal static async IAsyncEnumerable<JsonLine> ReadUtf8Async(string path, bool pooled, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
        var buffer = new byte[1 << 16];
        var start = 0;
        var end = 0;
        var number = 0;
        var first = true;
        while (true)
        {
            if (start > 0 && start == end)
            {
                start = end = 0;
            }

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
                    // A line longer than the buffer: grow it rather than split the line.
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
            }

            var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
            end += read;
            if (first && end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
            {
                start = 3;
            }

            first = first && end < 3 && read > 0;
            while (true)
            {
                var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
                if (newline < 0)
                {
                    break;
                }

                number++;
                if (Line(buffer, start, newline, number, pooled) is { } line)
                {
                    yield return line;
                }

                start = newline + 1;
            }

            if (read == 0)
            {
                if (start < end)
                {
                    number++;
                    if (Line(buffer, start, end, number, pooled) is { } last)
                    {
                        yield return last;
                    }
                }

                yield break;
            }
        }
    }

    private static JsonLine? Line(byte[] buffer, int start, int end, int number, bool pooled)
    {
        if (end > start && buffer[end - 1] == (byte)'\r')
        {
            end--;
        }

        var blank = true;
        for (var i = start; i < end && blank; i++)
        {
            blank = buffer[i] is (byte)' ' or (byte)'\t' or (byte)'\r';
        }

        if (blank)
        {
            return null;
        }

        if (pooled)
        {
            var rented = ArrayPool<byte>.Shared.Rent(end - start);
            buffer.AsSpan(start, end - start).CopyTo(rented);
            return new JsonLine(number, rented.AsMemory(0, end - start)) { Pooled = rented };
        }

        // Every byte is copied over at once: skip zeroing the new array first (lines are kilobytes, and there are many).
        var line = GC.AllocateUninitializedArray<byte>(end - start);
        buffer.AsSpan(start, end - start).CopyTo(line);
        return new JsonLine(number, line);
    }
}
