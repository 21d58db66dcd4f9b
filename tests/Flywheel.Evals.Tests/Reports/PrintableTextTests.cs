using System.Xml;
using Flywheel.Evals.Reports;

namespace Flywheel.Evals.Tests.Reports;

/// <summary>The one rule every report applies to untrusted text: what acts instead of showing is replaced by something visible.</summary>
public sealed class PrintableTextTests
{
    [Theory]
    [InlineData("\u0001", "␁")]
    [InlineData("\u000B", "␋")]
    [InlineData("\u001B[31m", "␛[31m")]
    [InlineData("\u0000", "␀")]
    [InlineData("\u007F", "␡")]
    [InlineData("\u009B", "\uFFFD")]
    [InlineData("\uFFFE\uFFFF", "\uFFFD\uFFFD")]
    [InlineData("\u202Eabc\u2066", "\uFFFDabc\uFFFD")]
    [InlineData("tab\tand\nbreaks\r\n", "tab\tand\nbreaks\r\n")]
    [InlineData("😀 ü ∑", "😀 ü ∑")]
    public void Clean_replaces_what_acts_and_keeps_what_shows(string text, string expected)
    {
        Assert.Equal(expected, PrintableText.Clean(text));
    }

    [Fact]
    public void Clean_returns_the_same_string_when_nothing_needs_replacing()
    {
        var text = "plain text with ünïcode and\nlines";

        Assert.Same(text, PrintableText.Clean(text));
    }

    [Fact]
    public void Every_character_after_clean_is_one_XML_1_0_can_carry()
    {
        var all = new string(Enumerable.Range(0, 0x10000).Select(c => (char)c).ToArray());

        var clean = PrintableText.Clean(all);

        Assert.Same(clean, XmlConvert.VerifyXmlChars(clean));
    }

    [Fact]
    public void Lone_surrogates_become_replacement_characters_and_pairs_stay()
    {
        // Built in code: a string in an attribute cannot hold a lone surrogate.
        var text = string.Concat("a", '\uD800'.ToString(), "b", '\uDC00'.ToString(), "c\uD83D\uDE00", '\uD83D'.ToString());

        Assert.Equal("a\uFFFDb\uFFFDc😀\uFFFD", PrintableText.Clean(text));
    }

    [Fact]
    public void Line_puts_every_kind_of_line_break_and_tab_on_one_line()
    {
        Assert.Equal("a b c d e f g", PrintableText.Line("a\r\nb\nc\rd\u2028e\u2029f\tg"));
    }

    [Fact]
    public void Shorten_ends_with_an_ellipsis_and_never_splits_a_surrogate_pair()
    {
        Assert.Equal("abcd…", PrintableText.Shorten("abcdefgh", 5));
        Assert.Equal("abc…", PrintableText.Shorten("abc😀def", 5));
        Assert.Equal("short", PrintableText.Shorten("short", 5));
    }
}
