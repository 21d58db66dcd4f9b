using System.Net;
using Flywheel.Action.Tests.Support;

namespace Flywheel.Action.Tests.GitHub;

/// <summary>The one pull request comment, through the real process against a fake GitHub REST API on 127.0.0.1.</summary>
public sealed class StickyCommentTests
{
    private const string Marker = "<!-- flywheel-sticky key=evaluators/flywheel.json -->";

    [Fact]
    public async Task First_run_creates_the_comment_and_the_second_updates_it_in_place()
    {
        await using var api = await FakeGitHubApi.StartAsync();
        using var repository = PullRequestRepository.Create(PullRequestRepository.RegressingResponses);
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha);

        var first = await runner.RunAsync(api.Url);
        var second = await runner.RunAsync(api.Url);

        Assert.True(first.ExitCode == 1, first.ToString());
        Assert.True(second.ExitCode == 1, second.ToString());
        Assert.Single(api.RequestsWith("POST"), r => r.PathAndQuery.EndsWith("/comments", StringComparison.Ordinal));
        var patch = Assert.Single(api.RequestsWith("PATCH"));
        var comment = Assert.Single(api.Comments);
        Assert.Equal($"/repos/acme/bank/issues/comments/{comment.Id}", patch.PathAndQuery);
        Assert.Equal(ActionRunner.PullRequestNumber, comment.Issue);
        Assert.StartsWith(Marker + "\n<!-- flywheel-report -->", comment.Body, StringComparison.Ordinal);
        Assert.StartsWith(File.ReadAllText(second.Outputs["report-md"]), comment.Body[(Marker.Length + 1)..], StringComparison.Ordinal);
        Assert.EndsWith("\n---\nFull report: [workflow run](https://github.example/acme/bank/actions/runs/4242) · artifact `flywheel-evaluators_flywheel.json` (run.json, report.html)\n", comment.Body, StringComparison.Ordinal);
        Assert.All(api.Requests, r => Assert.Equal("Bearer test-token", r.Authorization));
        Assert.All(api.Requests, r => Assert.StartsWith("flywheel/", r.UserAgent, StringComparison.Ordinal));
        Assert.Equal($"https://github.example/acme/bank/pull/42#issuecomment-{comment.Id}", second.Outputs["comment-url"]);
        Assert.Contains("Pull request comment created", first.Summary, StringComparison.Ordinal);
        Assert.Contains("Pull request comment updated", second.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Comment_past_the_first_page_is_found_and_another_suites_comment_is_left_alone()
    {
        await using var api = await FakeGitHubApi.StartAsync();
        var otherSuite = api.Seed(ActionRunner.PullRequestNumber, "<!-- flywheel-sticky key=evaluators/payments.json -->\n<!-- flywheel-report -->\nold payments report", FakeGitHubApi.ActionsBot);
        for (var i = 0; i < 130; i++)
        {
            api.Seed(ActionRunner.PullRequestNumber, $"review remark {i}", "reviewer");
        }

        var ours = api.Seed(ActionRunner.PullRequestNumber, Marker + "\n<!-- flywheel-report -->\nstale report", FakeGitHubApi.ActionsBot);
        api.Seed(ActionRunner.PullRequestNumber + 1, Marker + "\nanother pull request's report");
        using var repository = PullRequestRepository.Create(PullRequestRepository.RegressingResponses);
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha);

        var result = await runner.RunAsync(api.Url);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.DoesNotContain(api.RequestsWith("POST"), r => r.PathAndQuery.Contains("/comments", StringComparison.Ordinal));
        Assert.Equal($"/repos/acme/bank/issues/comments/{ours}", Assert.Single(api.RequestsWith("PATCH")).PathAndQuery);
        Assert.Contains(api.RequestsWith("POST"), r => r.PathAndQuery == "/graphql" && r.Body.Contains("\"after\":\"100\"", StringComparison.Ordinal));
        Assert.Contains("old payments report", api.Comments.Single(c => c.Id == otherSuite).Body, StringComparison.Ordinal);
        Assert.Contains("Flywheel gate failed", api.Comments.Single(c => c.Id == ours).Body, StringComparison.Ordinal);
        Assert.Equal(133, api.Comments.Count);
    }

    [Fact]
    public async Task A_comment_by_anyone_else_holding_the_marker_is_never_touched()
    {
        await using var api = await FakeGitHubApi.StartAsync();
        var planted = api.Seed(ActionRunner.PullRequestNumber, Marker + "\nmallory's copy: gate passed");
        var hidden = api.Seed(ActionRunner.PullRequestNumber, Marker + "\nan old report someone minimized", FakeGitHubApi.ActionsBot, minimized: true);
        using var repository = PullRequestRepository.Create(PullRequestRepository.RegressingResponses);
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha);

        var first = await runner.RunAsync(api.Url);
        var second = await runner.RunAsync(api.Url);

        Assert.True(first.ExitCode == 1, first.ToString());
        Assert.True(second.ExitCode == 1, second.ToString());
        Assert.Equal(Marker + "\nmallory's copy: gate passed", api.Comments.Single(c => c.Id == planted).Body);
        Assert.Equal(Marker + "\nan old report someone minimized", api.Comments.Single(c => c.Id == hidden).Body);
        var ours = api.Comments.Single(c => c.Id != planted && c.Id != hidden);
        Assert.Equal(FakeGitHubApi.ActionsBot, ours.User);
        Assert.Equal($"/repos/acme/bank/issues/comments/{ours.Id}", Assert.Single(api.RequestsWith("PATCH")).PathAndQuery);
        Assert.Contains("Pull request comment created", first.Summary, StringComparison.Ordinal);
        Assert.Contains("Pull request comment updated", second.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_personal_token_edits_its_own_users_comment_and_not_the_bots()
    {
        await using var api = await FakeGitHubApi.StartAsync();
        api.Identities["pat-of-dana"] = "dana";
        var bots = api.Seed(ActionRunner.PullRequestNumber, Marker + "\nwritten with the Actions token", FakeGitHubApi.ActionsBot);
        var danas = api.Seed(ActionRunner.PullRequestNumber, Marker + "\nwritten with dana's token", "dana");
        using var repository = PullRequestRepository.Create(TempSuite.ValidResponses);
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha);

        var result = await runner.RunAsync(api.Url, token: "pat-of-dana");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"/repos/acme/bank/issues/comments/{danas}", Assert.Single(api.RequestsWith("PATCH")).PathAndQuery);
        Assert.Equal(Marker + "\nwritten with the Actions token", api.Comments.Single(c => c.Id == bots).Body);
        Assert.Equal(2, api.Comments.Count);
    }

    [Fact]
    public async Task Two_comment_keys_keep_two_comments_and_two_artifacts()
    {
        await using var api = await FakeGitHubApi.StartAsync();
        using var repository = PullRequestRepository.Create(PullRequestRepository.RegressingResponses);
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha);

        runner.Inputs["comment-key"] = "model-a";
        var a = await runner.RunAsync(api.Url);
        runner.Inputs["comment-key"] = "model-b";
        var b = await runner.RunAsync(api.Url);
        runner.Inputs["comment-key"] = "model-a";
        var again = await runner.RunAsync(api.Url);

        Assert.All(new[] { a, b, again }, r => Assert.True(r.ExitCode == 1, r.ToString()));
        Assert.Equal(2, api.Comments.Count);
        var first = Assert.Single(api.Comments, c => c.Body.StartsWith("<!-- flywheel-sticky key=model-a -->\n", StringComparison.Ordinal));
        Assert.Single(api.Comments, c => c.Body.StartsWith("<!-- flywheel-sticky key=model-b -->\n", StringComparison.Ordinal));
        Assert.Equal($"/repos/acme/bank/issues/comments/{first.Id}", Assert.Single(api.RequestsWith("PATCH")).PathAndQuery);
        Assert.Equal(("flywheel-model-a", "flywheel-model-b"), (a.Outputs["artifact-name"], b.Outputs["artifact-name"]));
        Assert.NotEqual(a.Outputs["run-json"], b.Outputs["run-json"]);
    }

    [Fact]
    public async Task Fork_pull_request_without_a_token_still_gates_and_says_why_no_comment()
    {
        await using var api = await FakeGitHubApi.StartAsync();
        using var repository = PullRequestRepository.Create(PullRequestRepository.RegressingResponses);
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha, headRepository: "mallory/bank");

        var result = await runner.RunAsync(api.Url, token: null);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("failed", result.Outputs["verdict"]);
        Assert.Empty(api.Requests);
        Assert.Contains("❌ Flywheel gate failed", result.Summary, StringComparison.Ordinal);
        Assert.Contains("**No pull request comment:** this pull request comes from the fork `mallory/bank`", result.Summary, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Outputs["comment-url"]);
    }

    [Fact]
    public async Task Same_repository_without_a_token_gates_and_says_no_token_was_given()
    {
        await using var api = await FakeGitHubApi.StartAsync();
        using var repository = PullRequestRepository.Create(TempSuite.ValidResponses);
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha);

        var result = await runner.RunAsync(api.Url, token: null);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(api.Requests);
        Assert.Contains("**No pull request comment:** no `github-token` was given", result.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "HTTP 403")]
    [InlineData(HttpStatusCode.NotFound, "HTTP 404")]
    public async Task Api_refusal_is_a_warning_and_the_verdict_still_decides(HttpStatusCode status, string expected)
    {
        await using var api = await FakeGitHubApi.StartAsync();
        api.RefuseWith = status;
        using var repository = PullRequestRepository.Create(TempSuite.ValidResponses);
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha);

        var result = await runner.RunAsync(api.Url);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("passed", result.Outputs["verdict"]);
        var warning = Assert.Single(result.Commands, c => c.StartsWith("::warning", StringComparison.Ordinal));
        Assert.Contains(expected, warning, StringComparison.Ordinal);
        Assert.Contains("Resource not accessible by integration", warning, StringComparison.Ordinal);
        Assert.Contains($"**No pull request comment:** listing the pull request's comments failed: {expected}", result.Summary, StringComparison.Ordinal);
        Assert.Empty(api.Comments);
    }

    [Fact]
    public async Task Unreachable_api_is_a_warning_and_a_failed_gate_still_exits_1()
    {
        using var repository = PullRequestRepository.Create(PullRequestRepository.RegressingResponses);
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha);

        // Port 9 (discard) on loopback: nothing listens, the connection is refused.
        var result = await runner.RunAsync(new Uri("http://127.0.0.1:9/"));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(result.Commands, c => c.StartsWith("::warning", StringComparison.Ordinal) && c.Contains("could not be reached", StringComparison.Ordinal));
    }
}
