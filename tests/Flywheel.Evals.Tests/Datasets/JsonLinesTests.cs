using System.Text;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Tests.Support;

namespace Flywheel.Evals.Tests.Datasets;

/// <summary>The gate reads rows into pooled buffers; they must carry exactly the bytes and numbers a plain read gives.</summary>
public sealed class JsonLinesTests
{
    [Fact]
    public async Task Pooled_lines_carry_the_same_bytes_and_numbers_as_plain_ones_and_name_their_buffer()
    {
        using var temp = new TempDirectory();
        // A BOM, CRLF ends, a blank line, non-ASCII text and a line longer than the reader's 64 KB buffer.
        var longLine = $$"""{"id":"b","text":"{{new string('x', 100_000)}}"}""";
        var path = temp.Write("rows.jsonl", "\uFEFF{\"id\":\"a\",\"t\":\"é 🙂\"}\r\n\r\n" + longLine + "\r\n{\"id\":\"c\"}");

        var plain = new List<JsonLine>();
        await foreach (var line in JsonLines.ReadUtf8Async(path, TestContext.Current.CancellationToken))
        {
            plain.Add(line);
        }

        var pooled = new List<(int Number, string Text, bool InItsBuffer)>();
        await foreach (var line in JsonLines.ReadUtf8Async(path, pooled: true, TestContext.Current.CancellationToken))
        {
            Assert.NotNull(line.Pooled);
            pooled.Add((line.Number, line.Text, line.Utf8.Span.Overlaps(line.Pooled)));
            System.Buffers.ArrayPool<byte>.Shared.Return(line.Pooled);
        }

        Assert.All(plain, line => Assert.Null(line.Pooled));
        Assert.Equal(plain.Select(l => (l.Number, l.Text, true)), pooled);
        Assert.Equal([1, 3, 4], pooled.Select(l => l.Number));
        Assert.Equal(Encoding.UTF8.GetByteCount(longLine), plain[1].Utf8.Length);
    }
}
