using Flywheel.Evals.Text;

namespace Flywheel.Evals.Tests.Text;

public sealed class ContentWordsTests
{
    [Fact]
    public void English_and_spanish_stop_words_are_dropped() =>
        Assert.Equal(Set("payoff", "due", "prestamo", "vencido"), Set([.. ContentWords.Of("The payoff is due and el préstamo está vencido").Words]));

    [Fact]
    public void Accents_are_folded_and_case_ignored() =>
        Assert.Equal(ContentWords.Of("LIQUIDACIÓN válida").Words, ContentWords.Of("liquidacion valida").Words);

    [Theory]
    [InlineData("fees", "fee")]
    [InlineData("days", "day")]
    [InlineData("business", "business")]
    [InlineData("bus", "bus")]
    [InlineData("bank's", "bank")]
    [InlineData("Bank’s", "bank")]
    public void Plurals_and_possessives_are_trimmed(string word, string stem) =>
        Assert.Equal([stem], ContentWords.Of(word).Words);

    [Fact]
    public void A_contraction_of_a_stop_word_is_still_a_stop_word() =>
        Assert.Empty(ContentWords.Of("he's there").Words);

    [Theory]
    [InlineData("$182,410.22", "182.410,22 €")]
    [InlineData("1 234 567", "1,234,567")]
    [InlineData("$25.00", "$25")]
    [InlineData("2.50%", "2.5%")]
    [InlineData("007", "7")]
    public void Numbers_compare_by_digits_whatever_the_separators(string left, string right) =>
        Assert.Equal(ContentWords.Of(left).Numbers, ContentWords.Of(right).Numbers);

    [Fact]
    public void A_three_digit_group_is_not_decimals() =>
        Assert.NotEqual(ContentWords.Of("25,000").Numbers, ContentWords.Of("25").Numbers);

    [Fact]
    public void Id_digits_are_numbers_and_the_single_letter_is_dropped()
    {
        var words = ContentWords.Of("loan L-1001");

        Assert.Equal(["loan"], words.Words);
        Assert.Equal(["1001"], words.Numbers);
    }

    [Theory]
    [InlineData("A $35 processing fee", "35", "$35")]
    [InlineData("Saldo 95.310,45 € hoy", "9531045", "95.310,45 €")]
    [InlineData("rate of 4% now", "4", "4%")]
    [InlineData("within 10 days", "10", "10")]
    public void Numbers_are_named_as_written_with_their_currency_or_percent(string text, string digits, string written) =>
        Assert.Equal(written, ContentWords.Of(text).Written(digits));

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    [InlineData("Yes, of it is.")]
    public void Text_with_nothing_checkable_is_empty(string? text) => Assert.True(ContentWords.Of(text).IsEmpty);

    private static List<string> Set(params string[] words) => [.. words.Order(StringComparer.Ordinal)];
}
