using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Tests.Runs;

public sealed class WilsonIntervalTests
{
    [Fact]
    public void Matches_the_textbook_interval_for_35_of_40()
    {
        var ci = WilsonInterval.Of(35, 40)!;

        Assert.Equal(0.7389, ci[0], 3);
        Assert.Equal(0.9454, ci[1], 3);
    }

    [Fact]
    public void Stays_inside_zero_and_one_at_the_extremes()
    {
        var all = WilsonInterval.Of(10, 10)!;
        var none = WilsonInterval.Of(0, 10)!;

        Assert.Equal(1.0, all[1]);
        Assert.True(all[0] is > 0.6 and < 0.75);
        Assert.Equal(0.0, none[0]);
        Assert.True(none[1] is > 0.25 and < 0.35);
    }

    [Fact]
    public void Empty_cohort_has_no_interval() => Assert.Null(WilsonInterval.Of(0, 0));
}
