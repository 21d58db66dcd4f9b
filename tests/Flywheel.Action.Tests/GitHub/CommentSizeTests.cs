using System.Text;
using Flywheel.Action.Tests.Support;

namespace Flywheel.Action.Tests.GitHub;

/// <summary>The pull request comment and the job summary of a huge failure, through the real process and the fake GitHub API: each fits its limit and opens with the verdict.</summary>
public sealed class CommentSizeTests
{
    private const int Cohorts = 4_000;

    [Fact]
    public async Task Four_thousand_failing_cohorts_post_a_comment_that_fits_and_opens_with_the_verdict()
    {
        await using var api = await FakeGitHubApi.StartAsync();
        using var repository = PullRequestRepository.Create(
            ManyCohorts.Responses(Cohorts, "no"),
            headSuite: ManyCohorts.Suite,
            baseRows: ManyCohorts.Rows(Cohorts),
            baseSuite: ManyCohorts.Suite,
            baseResponses: ManyCohorts.Responses(Cohorts, "yes"));
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha);

        var result = await runner.RunAsync(api.Url);

        Assert.True(result.ExitCode == 1, result.ToString()[..Math.Min(4_000, result.ToString().Length)]);
        var body = Assert.Single(api.Comments).Body;
        Assert.InRange(body.Length, 30_000, 65_536);
        var opening = "<!-- flywheel-sticky key=evaluators/flywheel.json -->\n<!-- flywheel-report -->\n## ❌ Flywheel gate failed: 4,000 of 4,000 gate check(s) failed.\n\n4,000 rows · 4,000 failing · 4,000 regression(s)";
        Assert.StartsWith(opening, body, StringComparison.Ordinal);
        Assert.Contains("**Failing gates (4,000):** `intent=i00001`, `intent=i00002`", body, StringComparison.Ordinal);
        Assert.Contains("`intent=i00020`, … and 3,980 more in run.json", body, StringComparison.Ordinal);
        Assert.Contains("### Regressions (4,000): passed on the baseline, fail now", body, StringComparison.Ordinal);
        Assert.Contains("> **Shortened to fit:**", body, StringComparison.Ordinal);
        Assert.Equal(body.Split("<details>").Length, body.Split("</details>").Length);
        Assert.DoesNotContain("cut here", body, StringComparison.Ordinal);
        // The comment is the marker, the report as written to report-md, then at most the footer linking the run.
        Assert.StartsWith(File.ReadAllText(result.Outputs["report-md"]), body[(body.IndexOf('\n', StringComparison.Ordinal) + 1)..], StringComparison.Ordinal);

        // The job summary has a budget of its own (1 MiB) and uses it: more rows than the comment, the same opening.
        Assert.InRange(Encoding.UTF8.GetByteCount(result.Summary), 2 * body.Length, 1 << 20);
        Assert.StartsWith(opening["<!-- flywheel-sticky key=evaluators/flywheel.json -->\n".Length..], result.Summary, StringComparison.Ordinal);
        Assert.Contains("Pull request comment created", result.Summary, StringComparison.Ordinal);
        Assert.Equal(result.Summary.Split("<details>").Length, result.Summary.Split("</details>").Length);
    }
}
