using Flywheel.Action.GitHub;

namespace Flywheel.Action.Tests.GitHub;

/// <summary>The hidden marker names the suite, so two suites in one repository keep two comments, and no path can break out of the HTML comment.</summary>
public sealed class StickyCommentMarkerTests
{
    [Fact]
    public void Marker_differs_per_suite()
    {
        Assert.Equal("<!-- flywheel-sticky config=evaluators/flywheel.json -->", StickyComment.MarkerFor("evaluators/flywheel.json"));
        Assert.NotEqual(StickyComment.MarkerFor("evaluators/flywheel.json"), StickyComment.MarkerFor("evaluators/payments.json"));
    }

    [Fact]
    public void Path_cannot_close_the_comment_early()
    {
        var marker = StickyComment.MarkerFor("odd-->name%.json");

        Assert.Equal("<!-- flywheel-sticky config=odd--%3Ename%25.json -->", marker);
        Assert.Equal(marker.Length - 3, marker.IndexOf("-->", StringComparison.Ordinal));
    }
}
