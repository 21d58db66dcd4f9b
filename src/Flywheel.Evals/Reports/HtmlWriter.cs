using System.Buffers;
using System.Globalization;
using System.Text;

namespace Flywheel.Evals.Reports;

/// <summary>
/// Builds HTML in a bounded buffer that is handed to a <see cref="TextWriter"/> in chunks, so a report of any size is
/// never one giant string. <see cref="Text(string?)"/> is the only way data reaches the page, and it always encodes.
/// </summary>
internal sealed class HtmlWriter
{
    private const int FlushAt = 64 * 1024;

    // Markup characters, plus the controls HTML forbids (NUL included): these are replaced, never passed through.
    private const string Controls = "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F";
    private static readonly SearchValues<char> Special = SearchValues.Create("&<>\"'" + Controls);

    // Element content needs no quote escaped: long texts full of quotes stay smaller.
    private static readonly SearchValues<char> ContentSpecial = SearchValues.Create("&<>" + Controls);

    private readonly StringBuilder _buffer;

    public HtmlWriter(int capacity = FlushAt + 4096)
    {
        _buffer = new StringBuilder(capacity);
    }

    /// <summary>Characters buffered and not yet flushed.</summary>
    public int Length => _buffer.Length;

    /// <summary>UTF-8 bytes handed to the writer so far.</summary>
    public long Flushed { get; private set; }

    /// <summary>Appends trusted markup (literals of the report itself, never data).</summary>
    public HtmlWriter Raw(string markup)
    {
        _buffer.Append(markup);
        return this;
    }

    /// <summary>Appends text from data, HTML-encoded (safe in element content and in double-quoted attributes).</summary>
    public HtmlWriter Text(string? text) => Encode(text.AsSpan(), Special);

    /// <inheritdoc cref="Text(string?)"/>
    public HtmlWriter Text(ReadOnlySpan<char> text) => Encode(text, Special);

    /// <summary>Appends text from data as element content only (never inside an attribute): quotes are left as they are.</summary>
    public HtmlWriter Prose(string? text) => Encode(text.AsSpan(), ContentSpecial);

    private HtmlWriter Encode(ReadOnlySpan<char> text, SearchValues<char> special)
    {
        while (true)
        {
            var index = text.IndexOfAny(special);
            if (index < 0)
            {
                _buffer.Append(text);
                return this;
            }

            _buffer.Append(text[..index]);
            _buffer.Append(text[index] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => "\uFFFD",
            });
            text = text[(index + 1)..];
        }
    }

    /// <summary>Appends element content cut to a length with an ellipsis, encoded as <see cref="Prose"/>.</summary>
    public HtmlWriter Trimmed(string? text, int max)
    {
        if (text is null || text.Length <= max)
        {
            return Prose(text);
        }

        var cut = max;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return Encode(text.AsSpan(0, cut), ContentSpecial).Raw("…");
    }

    /// <summary>Appends a whole number.</summary>
    public HtmlWriter Number(long value)
    {
        _buffer.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    /// <summary>Appends a number formatted invariantly (for attributes, coordinates and sort keys).</summary>
    public HtmlWriter Number(double value, string format)
    {
        _buffer.Append(value.ToString(format, CultureInfo.InvariantCulture));
        return this;
    }

    /// <summary>Appends another writer's content (an entry rendered on its own to be measured first).</summary>
    public HtmlWriter Append(HtmlWriter other)
    {
        _buffer.Append(other._buffer);
        return this;
    }

    /// <summary>The UTF-8 size of the buffered content.</summary>
    public long Utf8Bytes()
    {
        long bytes = 0;
        foreach (var chunk in _buffer.GetChunks())
        {
            bytes += Encoding.UTF8.GetByteCount(chunk.Span);
        }

        return bytes;
    }

    /// <summary>Empties the buffer without writing it.</summary>
    public void Clear() => _buffer.Clear();

    /// <summary>Hands the buffer to the writer when it is large (or always, when <paramref name="force"/>).</summary>
    public async ValueTask FlushAsync(TextWriter writer, CancellationToken cancellationToken, bool force = false)
    {
        if (!force && _buffer.Length < FlushAt)
        {
            return;
        }

        cancellationToken.ThrowIfCancellationRequested();
        foreach (var chunk in _buffer.GetChunks())
        {
            Flushed += Encoding.UTF8.GetByteCount(chunk.Span);
            await writer.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
        }

        _buffer.Clear();
    }
}
