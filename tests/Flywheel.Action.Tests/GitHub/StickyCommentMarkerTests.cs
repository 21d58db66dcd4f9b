using Flywheel.Action.GitHub;

namespace Flywheel.Action.Tests.GitHub;

/// <summary>The hidden marker holds the comment key (the suite path by default), so two suites or matrix legs keep two comments, and no key can break out of the HTML comment; only the token's own, visible comments are its.</summary>
public sealed class StickyCommentMarkerTests
{
    [Fact]
    public void Marker_differs_per_suite()
    {
        Assert.Equal("<!-- flywheel-sticky key=evaluators/flywheel.json -->", StickyComment.MarkerFor("evaluators/flywheel.json"));
        Assert.NotEqual(StickyComment.MarkerFor("evaluators/flywheel.json"), StickyComment.MarkerFor("evaluators/payments.json"));
    }

    [Fact]
    public void Path_cannot_close_the_comment_early()
    {
        var marker = StickyComment.MarkerFor("odd-->name%.json");

        Assert.Equal("<!-- flywheel-sticky key=odd--%3Ename%25.json -->", marker);
        Assert.Equal(marker.Length - 3, marker.IndexOf("-->", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Bot", "github-actions", "github-actions[bot]", true)]
    [InlineData("User", "github-actions", "github-actions[bot]", false)]
    [InlineData("Bot", "renovate", "github-actions[bot]", false)]
    [InlineData("User", "dana", "dana", true)]
    [InlineData("User", "Dana", "dana", true)]
    [InlineData("Bot", "dana", "dana", false)]
    [InlineData("User", "mallory", "dana", false)]
    [InlineData(null, null, "github-actions[bot]", false)]
    public void Only_the_tokens_own_identity_owns_a_comment(string? type, string? login, string viewer, bool own)
    {
        Assert.Equal(own, StickyComment.IsOwnComment(type, login, viewer));
    }
}
