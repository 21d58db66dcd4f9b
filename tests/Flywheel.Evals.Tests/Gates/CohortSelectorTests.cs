using Flywheel.Evals.Gates;

namespace Flywheel.Evals.Tests.Gates;

public sealed class CohortSelectorTests
{
    [Theory]
    [InlineData("*", null, null, false)]
    [InlineData("intent=mortgage_payoff", "intent", "mortgage_payoff", false)]
    [InlineData("intent=*", "intent", null, true)]
    [InlineData(" locale = en-US ", "locale", "en-US", false)]
    public void Parses_the_three_forms(string text, string? key, string? value, bool expands)
    {
        Assert.True(CohortSelector.TryParse(text, out var selector, out _));
        Assert.Equal((key, value, expands), (selector.Key, selector.Value, selector.Expands));
    }

    [Theory]
    [InlineData("intent")]
    [InlineData("=x")]
    [InlineData("intent=")]
    [InlineData("a=b=c")]
    public void Rejects_malformed_selectors_with_a_reason(string text)
    {
        Assert.False(CohortSelector.TryParse(text, out _, out var error));
        Assert.Contains(text, error, StringComparison.Ordinal);
    }
}
