using System.Globalization;
using Flywheel.Evals.Text;

namespace Flywheel.Evals.Tests.Text;

public sealed class NumberExtractorTests
{
    [Theory]
    [InlineData("Payoff: $182,410.22", null, "182410.22")]
    [InlineData("Saldo: 182.410,22 €", "es-ES", "182410.22")]
    [InlineData("Saldo: 1.234,5 €", "de-DE", "1234.5")]
    [InlineData("1,234", null, "1234")]
    [InlineData("1,234", "de-DE", "1.234")]
    [InlineData("1.234", null, "1.234")]
    [InlineData("1.234", "de-DE", "1234")]
    [InlineData("1,5", null, "1.5")]
    [InlineData("1.5", "de-DE", "1.5")]
    [InlineData("1,234,567", null, "1234567")]
    [InlineData("CHF 1'234.50", null, "1234.50")]
    [InlineData("1\u202F234\u202F567", "fr-FR", "1234567")]
    [InlineData("1\u00A0234,5", "fr-FR", "1234.5")]
    [InlineData("0.5 and .", null, "0.5")]
    public void Reads_separators_the_way_the_locale_writes_them(string text, string? locale, string expected) =>
        Assert.Equal([decimal.Parse(expected, CultureInfo.InvariantCulture)], Values(text, locale));

    [Theory]
    [InlineData("182.410,22 €", null)]
    [InlineData("182,410.22", "de-DE")]
    public void A_number_with_both_separators_reads_the_last_as_the_decimal_point_in_any_locale(string text, string? locale) =>
        Assert.Equal([182410.22m], Values(text, locale));

    [Theory]
    [InlineData("1.234.567", null)]
    [InlineData("1,234,567", "de-DE")]
    public void A_repeated_separator_groups_thousands_in_any_locale(string text, string? locale) =>
        Assert.Equal([1234567m], Values(text, locale));

    [Theory]
    [InlineData("1 234", "1234")]
    [InlineData("1 234 567,89", "1234567.89")]
    [InlineData("12 345.5", "12345.5")]
    public void A_plain_space_groups_thousands_between_three_digit_groups(string text, string expected) =>
        Assert.Equal([decimal.Parse(expected, CultureInfo.InvariantCulture)], Values(text, text.Contains(',', StringComparison.Ordinal) ? "fr-FR" : null));

    [Theory]
    [InlineData("Nov 30 2025", new[] { 30, 2025 })]
    [InlineData("3 1000 12", new[] { 3, 1000, 12 })]
    [InlineData("1 23", new[] { 1, 23 })]
    public void Spaces_between_other_digit_runs_keep_numbers_apart(string text, int[] expected) =>
        Assert.Equal(expected.Select(e => (decimal)e), Values(text, null));

    [Fact]
    public void Signs_are_read_but_an_id_dash_is_not_a_minus()
    {
        Assert.Equal([-35m, -12m, 4m], Values("-35 and \u221212 and +4", null));
        Assert.Equal([1001m], Values("loan L-1001", null));
        Assert.Equal([2025m, 11m, 30m], Values("2025-11-30", null));
    }

    [Fact]
    public void Digits_glued_to_letters_are_part_of_an_id_not_a_number() =>
        Assert.Empty(NumberExtractor.Extract("account CHK4471 and A1", null));

    [Fact]
    public void A_sentence_end_after_a_number_is_not_a_decimal_point() =>
        Assert.Equal([30m, 2025m], Values("valid until Nov 30. See 2025.", null));

    [Fact]
    public void Each_number_keeps_its_text_as_written() =>
        Assert.Equal(["182,410.22", "1 234", "30"], NumberExtractor.Extract("$182,410.22, 1 234 and 30.", null).Select(n => n.Text));

    [Fact]
    public void An_unknown_locale_reads_like_english() =>
        Assert.Equal(Values("1,234.5", null), Values("1,234.5", "zz-NOT-A-LOCALE"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no numbers here")]
    public void Text_without_numbers_has_none(string? text) => Assert.Empty(NumberExtractor.Extract(text, null));

    [Theory]
    [InlineData(100, 100.9, 0.01, true)]
    [InlineData(100, 102, 0.01, false)]
    [InlineData(1_000_000, 1_009_000, 0.01, true)]
    [InlineData(182410.22, 182410.22, 0, true)]
    [InlineData(182410.22, 182410.23, 0, false)]
    [InlineData(0, 0, 0, true)]
    [InlineData(-5, 5, 0.5, false)]
    public void Close_is_a_relative_tolerance(double expected, double actual, double tolerance, bool close) =>
        Assert.Equal(close, NumberExtractor.Close((decimal)expected, (decimal)actual, tolerance));

    private static List<decimal> Values(string text, string? locale) => NumberExtractor.Extract(text, locale).Select(n => n.Value).ToList();
}
