using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Flywheel.Evals.Tests.Support;

/// <summary>
/// A Markdown report read as GitHub reads it: table rows split into cells by GitHub's rule (every pipe not preceded by
/// a backslash ends a cell, inside code spans too), and the inlines parsed by Markdig with GitHub's extensions (pipe
/// tables, autolinks, strikethrough, math, footnotes, task lists).
/// </summary>
internal sealed partial class RenderedMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables().UseAutoLinks().UseEmphasisExtras().UseMathematics().UseFootnotes().UseTaskLists().Build();

    public RenderedMarkdown(string text)
    {
        Text = text;
        Lines = text.Split('\n');
        Document = Markdown.Parse(text, Pipeline);
    }

    public string Text { get; }

    public IReadOnlyList<string> Lines { get; }

    public MarkdownDocument Document { get; }

    /// <summary>The cells of a table line as GitHub splits them (outer pipes dropped, cell text trimmed, escapes left in).</summary>
    public static IReadOnlyList<string> Cells(string line)
    {
        var cells = new List<string>();
        var current = new System.Text.StringBuilder();
        var body = line.Trim();
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] == '\\' && i + 1 < body.Length && body[i + 1] == '|')
            {
                current.Append("\\|");
                i++;
            }
            else if (body[i] == '|')
            {
                cells.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(body[i]);
            }
        }

        cells.Add(current.ToString());
        if (body.StartsWith('|'))
        {
            cells.RemoveAt(0);
        }

        if (body.EndsWith('|') && !body.EndsWith("\\|", StringComparison.Ordinal))
        {
            cells.RemoveAt(cells.Count - 1);
        }

        return cells.Select(c => c.Trim()).ToList();
    }

    /// <summary>What a table cell (or, not <paramref name="inTable"/>, a line of text) shows: in a table GitHub removes the backslash of each <c>\|</c>, then reads the text as inline Markdown; zero-width joiners are dropped.</summary>
    public static string Shown(string cell, bool inTable = true)
    {
        // A cell holds inlines only: the leading letter keeps "- x" or "# x" from being read as a list or a heading.
        var inline = Markdown.Parse("x" + (inTable ? cell.Replace("\\|", "|", StringComparison.Ordinal) : cell), Pipeline);
        var text = string.Concat(inline.Descendants<Inline>().Select(i => i switch
        {
            CodeInline code => code.Content,
            LiteralInline literal => literal.Content.ToString(),
            HtmlEntityInline entity => entity.Transcoded.ToString(),
            LineBreakInline => " ",
            _ => string.Empty,
        }));
        return text[1..].Replace("\u200D", string.Empty, StringComparison.Ordinal);
    }

    /// <summary>The lines of every table: a header, its delimiter row, and the rows until the first line that is not a table line.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Tables()
    {
        var tables = new List<IReadOnlyList<string>>();
        List<string>? table = null;
        foreach (var line in Lines)
        {
            if (line.StartsWith('|'))
            {
                (table ??= []).Add(line);
            }
            else if (table is not null)
            {
                tables.Add(table);
                table = null;
            }
        }

        if (table is not null)
        {
            tables.Add(table);
        }

        return tables;
    }

    /// <summary>Asserts the document is whole and that no text in it acts: tables keep their cells, fences and &lt;details&gt; close, and nothing is a link, image, HTML, math, footnote, mention or issue reference.</summary>
    public void AssertWellFormed()
    {
        foreach (var table in Tables())
        {
            var columns = Cells(table[0]).Count;
            Assert.True(table.Count >= 2 && Regex.IsMatch(table[1], @"^\|( -{3,}:? \|)+$"), $"a table without its delimiter row:\n{string.Join('\n', table.Take(3))}");
            foreach (var line in table)
            {
                Assert.True(Cells(line).Count == columns, $"{Cells(line).Count} cells where the header has {columns}:\n{table[0]}\n{line}");
            }
        }

        var depth = 0;
        string? fence = null;
        foreach (var line in Lines)
        {
            if (fence is not null)
            {
                if (line.Trim() == fence)
                {
                    fence = null;
                }

                continue;
            }

            if (FenceLine().Match(line) is { Success: true } open)
            {
                fence = open.Groups[1].Value;
                continue;
            }

            depth += line.StartsWith("<details>", StringComparison.Ordinal) ? 1 : 0;
            depth -= line == "</details>" ? 1 : 0;
            Assert.True(depth >= 0, "</details> without <details>");
        }

        Assert.True(fence is null, "a code fence is never closed");
        Assert.Equal(0, depth);

        var inlines = Document.Descendants<Inline>().ToList();
        Assert.DoesNotContain(inlines, i => i is LinkInline or AutolinkInline or HtmlInline or MathInline);
        Assert.DoesNotContain(Document.Descendants<Block>(), b => b is MathBlock);
        foreach (var html in Document.Descendants<HtmlBlock>())
        {
            var first = html.Lines.ToString().Split('\n')[0];
            Assert.True(first.StartsWith("<!-- ", StringComparison.Ordinal) || first.StartsWith("<details><summary>", StringComparison.Ordinal) || first == "</details>", $"HTML that is not the report's own: {first}");
        }

        foreach (var literal in inlines.OfType<LiteralInline>())
        {
            var text = literal.Content.ToString();
            Assert.False(Mention().IsMatch(text), $"a mention or reference GitHub would act on: {text}");
        }
    }

    [GeneratedRegex(@"^(`{3,})[^`]*$")]
    private static partial Regex FenceLine();

    // What GitHub turns into a notification, a cross-reference or a link when it stands in plain text.
    [GeneratedRegex(@"(^|[^\w])@[A-Za-z0-9]|#\d|://|\bwww\.", RegexOptions.IgnoreCase)]
    private static partial Regex Mention();
}
