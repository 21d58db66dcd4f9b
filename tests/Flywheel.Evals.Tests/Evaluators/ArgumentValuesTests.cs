using System.Text;
using Flywheel.Evals.Evaluators;

namespace Flywheel.Evals.Tests.Evaluators;

public sealed class ArgumentValuesTests
{
    [Theory]
    [InlineData("New York", "new-york", true)]
    [InlineData("2026-11-16", "20261116", true)]
    [InlineData("a_b*c^d/e.f,g", "ABCDEFG", true)]
    [InlineData("", " ,.", true)]
    [InlineData("abc", "abcd", false)]
    [InlineData("abcd", "abc", false)]
    [InlineData("İstanbul", "istanbul", false)] // invariant lower case keeps U+0130 as it is
    [InlineData("Straße", "STRASSE", false)]
    public void Strings_compare_after_bfcl_standardization(string left, string right, bool same)
    {
        Assert.Equal(same, ArgumentValues.SameStandardized(left, right));
        Assert.Equal(ArgumentValues.Standardize(left) == ArgumentValues.Standardize(right), ArgumentValues.SameStandardized(left, right));
    }

    [Fact]
    public void On_the_fly_comparison_equals_comparing_standardized_strings()
    {
        var random = new Random(11);
        string[] pieces = ["a", "A", "b", "B", " ", "\t", "\u00A0", ",", ".", "/", "-", "_", "*", "^", "1", "é", "É", "ß", "İ", "ı", "Σ", "σ", "ς", "🙂"];
        for (var n = 0; n < 20_000; n++)
        {
            var left = Random(random, pieces);
            var right = random.Next(4) == 0 ? left.ToUpperInvariant() : Random(random, pieces);
            Assert.Equal(ArgumentValues.Standardize(left) == ArgumentValues.Standardize(right), ArgumentValues.SameStandardized(left, right));
        }
    }

    private static string Random(Random random, string[] pieces)
    {
        var builder = new StringBuilder();
        for (var i = random.Next(0, 8); i > 0; i--)
        {
            builder.Append(pieces[random.Next(pieces.Length)]);
        }

        return builder.ToString();
    }
}
