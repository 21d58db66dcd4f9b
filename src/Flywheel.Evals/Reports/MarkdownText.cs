using System.Text;

namespace Flywheel.Evals.Reports;

/// <summary>
/// Puts untrusted text (row ids, tags, reasons, model answers) into GitHub-flavoured Markdown so that it shows as
/// itself and acts as nothing: no markup, HTML, link, image, mention or issue reference, and it never leaves its code
/// span or table cell. Every such string goes through <see cref="Code"/> or <see cref="Text"/>.
/// </summary>
internal static class MarkdownText
{
    /// <summary>Joins a word to what follows without showing: GitHub then sees no @mention, #reference or autolink.</summary>
    private const char Joiner = '\u200D';

    /// <summary>
    /// A code span on one line, cut to <paramref name="max"/> characters: the fence is one backtick longer than the
    /// longest run inside, padded when the text starts or ends with a backtick or a space. In a table
    /// (<paramref name="inTable"/>) each <c>|</c> is escaped, which GitHub removes again before it reads the span.
    /// </summary>
    public static string Code(string? text, int max, bool inTable)
    {
        var line = OneLine(text, max);
        if (line.Length == 0)
        {
            return "` `";
        }

        var fence = new string('`', LongestBacktickRun(line) + 1);
        var pad = line[0] is '`' or ' ' || line[^1] is '`' or ' ' ? " " : string.Empty;
        var body = inTable ? line.Replace("|", "\\|", StringComparison.Ordinal) : line;
        return string.Concat(fence, pad, body, pad, fence);
    }

    /// <summary>
    /// Plain text on one line, cut to <paramref name="max"/> characters: Markdown punctuation is backslash-escaped
    /// (<c>|</c> included, so it is safe in a table cell), <c>&amp; &lt; &gt;</c> become entities, and a zero-width
    /// joiner after <c>@</c>, <c>#</c> (before a digit), <c>://</c> and <c>www.</c> keeps GitHub from mentioning,
    /// cross-referencing or linking.
    /// </summary>
    public static string Text(string? text, int max)
    {
        var line = OneLine(text, max);
        var md = new StringBuilder(line.Length + 16);
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            var next = i + 1 < line.Length ? line[i + 1] : '\0';
            switch (c)
            {
                case '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '~' or '$':
                    md.Append('\\').Append(c);
                    break;
                case '&':
                    md.Append("&amp;");
                    break;
                case '<':
                    md.Append("&lt;");
                    break;
                case '>':
                    md.Append("&gt;");
                    break;
                case '@' when char.IsAsciiLetterOrDigit(next):
                case '#' when char.IsAsciiDigit(next):
                    md.Append(c).Append(Joiner);
                    break;
                case ':' when next == '/' && i + 2 < line.Length && line[i + 2] == '/':
                    md.Append(c).Append(Joiner);
                    break;
                case 'w' or 'W' when StartsWww(line, i):
                    md.Append(line, i, 3).Append(Joiner);
                    i += 2;
                    break;
                default:
                    md.Append(c);
                    break;
            }
        }

        return md.ToString();
    }

    /// <summary>A fenced code block of lines: the fence is longer than any backtick run inside, so no line can close it.</summary>
    public static string Block(IEnumerable<string> lines, int maxLineChars)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var body = lines.Select(l => OneLine(l, maxLineChars)).ToList();
        var longest = body.Count == 0 ? 0 : body.Max(LongestBacktickRun);
        var fence = new string('`', Math.Max(3, longest + 1));
        var block = new StringBuilder();
        block.Append(fence).Append('\n');
        foreach (var line in body)
        {
            block.Append(line).Append('\n');
        }

        return block.Append(fence).Append('\n').ToString();
    }

    // Cut first: a 100 KB answer is not scanned and copied to show 200 characters of it. Making it one line never
    // lengthens it (CRLF becomes one space, every other replacement is one character for one).
    private static string OneLine(string? text, int max) => PrintableText.Line(PrintableText.Shorten(text ?? string.Empty, max));

    // "www." at the start of a word is what GitHub autolinks.
    private static bool StartsWww(string line, int i) =>
        (i == 0 || !char.IsAsciiLetterOrDigit(line[i - 1]))
        && i + 3 < line.Length && line.AsSpan(i, 4).Equals("www.", StringComparison.OrdinalIgnoreCase);

    private static int LongestBacktickRun(string text)
    {
        int longest = 0, run = 0;
        foreach (var c in text)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return longest;
    }
}
