using Flywheel.Evals.Reports;
using Flywheel.Evals.Runs;
using Flywheel.Evals.Tests.Support;

namespace Flywheel.Evals.Tests.Reports;

/// <summary>Text from rows, tags and models shows as itself in the Markdown report and acts as nothing: it never leaves its code span or table cell, pings no one, links nowhere.</summary>
public sealed class MarkdownReportEscapingTests
{
    /// <summary>Each string tries one way out of its place (or one way to act) in GitHub's Markdown.</summary>
    public static TheoryData<string> Hostile { get; } = new(
        "a`b``c```d",
        "`leading and trailing`",
        " spaced ",
        "</details>",
        "<details><summary>forged</summary>",
        "a|b|c",
        "\\|",
        "ends with a backslash\\",
        "line one\nline two\r\nline three\rfour",
        "@octocat please look",
        "fixes #1 and acme/bank#12",
        "<script>alert(1)</script>",
        "&lt;b&gt; stays as typed",
        "![x](http://evil.example/pixel.png)",
        "[click](https://evil.example/)",
        "see https://evil.example/x and www.evil.example",
        "mail me@evil.example",
        "**bold** _it_ ~~gone~~ $x^2$ [^1]",
        "- [ ] task",
        "| --- | --- |",
        "<!-- hidden -->",
        "```\nfenced\n```",
        "vertical\u000Btab \u0001 \u001B[31mred\u001B[0m \u007F",
        "lone \uD800 high and lone \uDC00 low",
        "non\uFFFEcharacters\uFFFF",
        "\u202Ereversed");

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Reason_stays_in_its_cell_and_shows_as_text(string hostile)
    {
        var run = TestRuns.Build([new TestRow("r-1", "balance", hostile), new TestRow("r-2", "balance", "fine", Passed: true)]);

        var md = new RenderedMarkdown(MarkdownReport.Render(run));

        md.AssertWellFormed();
        var failing = Row(md, "| row | tags | why |", "demo/r-1");
        Assert.Equal(Expected("answer: " + hostile).TrimEnd(), RenderedMarkdown.Shown(failing[2]));
        var regression = Row(md, "| row | evaluator | reason |", "demo/r-1");
        Assert.Equal(Expected(hostile).Trim(), RenderedMarkdown.Shown(regression[2]));
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Row_id_stays_in_its_code_span(string hostile)
    {
        var run = TestRuns.Build([new TestRow(hostile, "balance", "plain reason")]);

        var md = new RenderedMarkdown(MarkdownReport.Render(run));

        md.AssertWellFormed();
        var failing = Row(md, "| row | tags | why |", "demo/" + Expected(hostile));
        Assert.Equal("answer: plain reason", RenderedMarkdown.Shown(failing[2]));
        var gate = Row(md, "| cohort | evaluator | pass rate | required | rows | why | first failing rows |", "intent=balance");
        Assert.Equal(Expected(hostile), RenderedMarkdown.Shown(gate[6]));
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Cohort_from_a_tag_stays_in_its_code_span_in_the_tables_and_the_gate_list(string hostile)
    {
        var run = TestRuns.Build([new TestRow("r-1", hostile, "plain reason")]);

        var md = new RenderedMarkdown(MarkdownReport.Render(run));

        md.AssertWellFormed();
        var cohort = "intent=" + Expected(hostile);
        Row(md, "| cohort | rows | pass rate | 95% CI |", "❌ " + cohort);
        Row(md, "| cohort | evaluator | pass rate | required | rows | why | first failing rows |", cohort);
        var failing = Row(md, "| row | tags | why |", "demo/r-1");
        Assert.Equal(cohort + " locale=en-US", RenderedMarkdown.Shown(failing[1]));
        var gates = Assert.Single(md.Lines, l => l.StartsWith("**Failing gates (1):**", StringComparison.Ordinal));
        Assert.Equal("Failing gates (1): " + cohort, RenderedMarkdown.Shown(gates, inTable: false));
    }

    [Fact]
    public void Control_characters_show_as_their_pictures()
    {
        var run = TestRuns.Build([new TestRow("r-1", "balance", "a\u000Bb\u0001c\u001Bd")]);

        var markdown = MarkdownReport.Render(run);

        Assert.Contains("a␋b␁c␛d", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain(markdown, c => c < ' ' && c != '\n');
    }

    [Fact]
    public void Code_span_fence_is_longer_than_any_backtick_run_inside()
    {
        var run = TestRuns.Build([new TestRow("a``b", "balance", "x")]);

        var markdown = MarkdownReport.Render(run);

        Assert.Contains("| ```demo/a``b``` |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Mentions_and_references_get_a_zero_width_joiner_and_html_an_entity()
    {
        var run = TestRuns.Build([new TestRow("r-1", "balance", "@octocat #12 <b> &lt;")]);

        var markdown = MarkdownReport.Render(run);

        Assert.Contains("@\u200Doctocat #\u200D12 &lt;b&gt; &amp;lt;", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_reason_is_cut_with_an_ellipsis_in_one_line()
    {
        var run = TestRuns.Build([new TestRow("r-1", "balance", string.Concat(Enumerable.Repeat("word\n", 10_000)))]);

        var md = new RenderedMarkdown(MarkdownReport.Render(run));

        var cell = Row(md, "| row | evaluator | reason |", "demo/r-1")[2];
        Assert.EndsWith("…", cell, StringComparison.Ordinal);
        Assert.InRange(cell.Length, 100, 400);
    }

    /// <summary>What the report shows for a string: on one line, its unsafe characters replaced.</summary>
    private static string Expected(string text) => PrintableText.Line(text);

    /// <summary>The cells of the one line of the table under <paramref name="header"/> whose first cell shows <paramref name="first"/>.</summary>
    private static IReadOnlyList<string> Row(RenderedMarkdown md, string header, string first)
    {
        var table = Assert.Single(md.Tables(), t => t[0].StartsWith(header, StringComparison.Ordinal));
        var matches = table.Skip(2).Select(RenderedMarkdown.Cells).Where(c => RenderedMarkdown.Shown(c[0]) == first).ToList();
        Assert.True(matches.Count == 1, $"no single row shows '{first}' under '{header}':\n{string.Join('\n', table)}");
        return matches[0];
    }
}
