using Flywheel.Action.GitHub;

namespace Flywheel.Action.Tests.GitHub;

/// <summary>The pull_request payload: number, base and head, and whether the head is a fork.</summary>
public sealed class PullRequestEventTests
{
    private const string Payload = """
        {"action":"opened","number":7,"pull_request":{"number":7,
          "base":{"ref":"main","sha":"1111111111111111111111111111111111111111","repo":{"full_name":"acme/bank"}},
          "head":{"ref":"fix","sha":"2222222222222222222222222222222222222222","repo":{"full_name":"ACME/bank"}}}}
        """;

    [Fact]
    public void Same_repository_pull_request_is_not_a_fork()
    {
        var pr = PullRequestEvent.Parse(Payload)!;

        Assert.Equal(7, pr.Number);
        Assert.Equal(new string('1', 40), pr.BaseSha);
        Assert.Equal(new string('2', 40), pr.HeadSha);
        Assert.Equal("acme/bank", pr.BaseRepository);
        Assert.False(pr.IsFork);
    }

    [Fact]
    public void Head_in_another_repository_or_a_deleted_fork_is_a_fork()
    {
        Assert.True(PullRequestEvent.Parse(Payload.Replace("ACME/bank", "mallory/bank", StringComparison.Ordinal))!.IsFork);
        Assert.True(PullRequestEvent.Parse(Payload.Replace("\"repo\":{\"full_name\":\"ACME/bank\"}", "\"repo\":null", StringComparison.Ordinal))!.IsFork);
    }

    [Fact]
    public void Push_payload_has_no_pull_request()
    {
        Assert.Null(PullRequestEvent.Parse("""{"ref":"refs/heads/main","after":"abc"}"""));
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("""{"pull_request":{"base":{"sha":"a","repo":{"full_name":"a/b"}},"head":{"sha":"b"}}}""", "pull_request.number is missing")]
    [InlineData("""{"pull_request":{"number":1,"head":{"sha":"b"}}}""", "pull_request.base.sha is missing")]
    public void Broken_payload_names_what_is_missing(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => PullRequestEvent.Parse(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
