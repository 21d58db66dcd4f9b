using System.Buffers;
using System.Text;

namespace Flywheel.Evals.Reports;

/// <summary>
/// Makes text from rows, traces and models safe to print anywhere (terminal, Markdown, XML, workflow commands): the
/// characters that act instead of showing are replaced by visible stand-ins.
/// </summary>
/// <remarks>
/// C0 controls become their Unicode control pictures (U+000B shows as ␋, ESC as ␛), DEL as ␡; C1 controls (0x80–0x9F,
/// where 0x9B is a terminal's CSI), lone surrogates, the noncharacters U+FFFE and U+FFFF, and the bidirectional
/// embeddings, overrides and isolates (which can make a terminal or page show text in another order than it is) become
/// U+FFFD. What is left is valid XML 1.0 and moves no terminal cursor.
/// </remarks>
public static class PrintableText
{
    /// <summary>The ellipsis that ends a shortened text.</summary>
    public const string Ellipsis = "…";

    // Surrogates are in both sets so that a pair is looked at (and kept) while a lone one is replaced.
    private static readonly string Replaced = Range('\0', '\u0008') + "\u000B\u000C" + Range('\u000E', '\u001F') + '\u007F' + Range('\u0080', '\u009F')
        + Range('\u202A', '\u202E') + Range('\u2066', '\u2069') + Range('\uD800', '\uDFFF') + "\uFFFE\uFFFF";

    private static readonly SearchValues<char> Unsafe = SearchValues.Create(Replaced);

    private static readonly SearchValues<char> UnsafeOnOneLine = SearchValues.Create(Replaced + "\t\n\r\u2028\u2029");

    /// <summary>The text with every unsafe character replaced; tabs and line breaks are kept. The same instance when nothing needed replacing.</summary>
    public static string Clean(string? text) => Replace(text ?? string.Empty, oneLine: false);

    /// <summary>The text on one line: as <see cref="Clean"/>, and every line break (CR, LF, CRLF, U+2028, U+2029) or tab becomes one space.</summary>
    public static string Line(string? text) => Replace(text ?? string.Empty, oneLine: true);

    /// <summary>The text cut to at most <paramref name="max"/> characters, the last of them an ellipsis; a surrogate pair is never split.</summary>
    public static string Shorten(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= max)
        {
            return text;
        }

        if (max <= Ellipsis.Length)
        {
            return Ellipsis;
        }

        var cut = max - Ellipsis.Length;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), Ellipsis);
    }

    private static string Replace(string text, bool oneLine)
    {
        // Most text needs nothing replaced: find the first character that does (a valid surrogate pair does not)
        // before copying anything.
        var unsafeChars = oneLine ? UnsafeOnOneLine : Unsafe;
        var first = 0;
        while (true)
        {
            var next = text.AsSpan(first).IndexOfAny(unsafeChars);
            if (next < 0)
            {
                return text;
            }

            first += next;
            if (char.IsHighSurrogate(text[first]) && first + 1 < text.Length && char.IsLowSurrogate(text[first + 1]))
            {
                first += 2;
                continue;
            }

            break;
        }

        var builder = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
                continue;
            }

            switch (c)
            {
                case '\r' or '\n' or '\t' or '\u2028' or '\u2029' when oneLine:
                    // CRLF is one break, so one space.
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        i++;
                    }

                    builder.Append(' ');
                    break;
                case '\r' or '\n' or '\t':
                    builder.Append(c);
                    break;
                case < '\u0020':
                    builder.Append((char)('\u2400' + c));
                    break;
                case '\u007F':
                    builder.Append('\u2421');
                    break;
                case (>= '\u0080' and <= '\u009F') or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or (>= '\uD800' and <= '\uDFFF') or '\uFFFE' or '\uFFFF':
                    builder.Append('\uFFFD');
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }

    private static string Range(char from, char to) => new(Enumerable.Range(from, to - from + 1).Select(c => (char)c).ToArray());
}
