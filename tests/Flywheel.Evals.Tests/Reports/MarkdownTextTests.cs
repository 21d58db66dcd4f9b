using Flywheel.Evals.Reports;

namespace Flywheel.Evals.Tests.Reports;

/// <summary>The two places untrusted text goes in Markdown: a code span (fence longer than any backtick run) and escaped text.</summary>
public sealed class MarkdownTextTests
{
    [Theory]
    [InlineData("plain", false, "`plain`")]
    [InlineData("a`b", false, "``a`b``")]
    [InlineData("a``b```c", false, "````a``b```c````")]
    [InlineData("`edge`", false, "`` `edge` ``")]
    [InlineData(" spaced ", false, "`  spaced  `")]
    [InlineData("a|b", true, "`a\\|b`")]
    [InlineData("a|b", false, "`a|b`")]
    [InlineData("two\nlines", false, "`two lines`")]
    [InlineData("", false, "` `")]
    [InlineData("<b>&lt;", false, "`<b>&lt;`")]
    public void Code_span_holds_the_text_as_typed(string text, bool inTable, string expected)
    {
        Assert.Equal(expected, MarkdownText.Code(text, 100, inTable));
    }

    [Theory]
    [InlineData("a|b", "a\\|b")]
    [InlineData("*b* _i_ ~s~ $m$ `c` [l](u) \\", "\\*b\\* \\_i\\_ \\~s\\~ \\$m\\$ \\`c\\` \\[l\\](u) \\\\")]
    [InlineData("<script>&lt;", "&lt;script&gt;&amp;lt;")]
    [InlineData("@octocat #12 a@b.c", "@\u200Doctocat #\u200D12 a@\u200Db.c")]
    [InlineData("http://x www.y.z awww.no", "http:\u200D//x www\u200D.y.z awww.no")]
    [InlineData("# not a heading, #hashtag", "# not a heading, #hashtag")]
    public void Text_is_escaped_so_nothing_in_it_acts(string text, string expected)
    {
        Assert.Equal(expected, MarkdownText.Text(text, 200));
    }

    [Fact]
    public void Text_is_cut_before_it_is_escaped_so_no_escape_is_split()
    {
        Assert.Equal("\\|\\|\\|\\|…", MarkdownText.Text(new string('|', 50), 5));
    }

    [Fact]
    public void Block_fence_is_longer_than_any_backtick_run_inside()
    {
        var block = MarkdownText.Block(["a ```` b", "```"], 100);

        Assert.Equal("`````\na ```` b\n```\n`````\n", block);
    }
}
