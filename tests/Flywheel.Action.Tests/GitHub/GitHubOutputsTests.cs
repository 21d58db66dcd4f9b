using Flywheel.Action.GitHub;
using Flywheel.Action.Tests.Support;

namespace Flywheel.Action.Tests.GitHub;

/// <summary>GITHUB_OUTPUT in the heredoc form: multiline values survive, and no value can close its block or inject an output.</summary>
public sealed class GitHubOutputsTests
{
    [Fact]
    public async Task Multiline_and_hostile_values_round_trip_through_the_runner_format()
    {
        var outputs = new GitHubOutputs();
        outputs.Set("verdict", "failed");
        outputs.Set("failed-gates", "[\"intent=a\",\n\"intent=b\"]");
        outputs.Set("sneaky", "x\nEOF\nverdict=passed\nghadelimiter_\n");
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "earlier=kept\n");
            await outputs.AppendToAsync(path, TestContext.Current.CancellationToken);

            var parsed = ActionRunner.ParseOutputs(File.ReadAllText(path));

            Assert.Equal("kept", parsed["earlier"]);
            Assert.Equal("failed", parsed["verdict"]);
            Assert.Equal("[\"intent=a\",\n\"intent=b\"]", parsed["failed-gates"]);
            Assert.Equal("x\nEOF\nverdict=passed\nghadelimiter_\n", parsed["sneaky"]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Each_output_gets_its_own_random_delimiter()
    {
        var first = GitHubOutputs.Format("a", "1").Split('\n')[0];
        var second = GitHubOutputs.Format("a", "1").Split('\n')[0];

        Assert.StartsWith("a<<ghadelimiter_", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
    }
}
