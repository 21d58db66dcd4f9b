using Flywheel.Action.Tests.Support;

namespace Flywheel.Action.Tests.GitHub;

/// <summary>An LLM judge's API key reaches the log only inside the add-mask command, printed before anything else.</summary>
public sealed class SecretTests
{
    [Fact]
    public async Task Judge_api_key_is_masked_first_and_written_nowhere_else()
    {
        const string key = "sk-proj-FLYWHEEL-TEST-7d1e0c55b2";
        await using var api = await FakeGitHubApi.StartAsync();
        using var repository = PullRequestRepository.Create(PullRequestRepository.RegressingResponses);
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha);
        runner.Variables["OPENAI_API_KEY"] = key;

        var result = await runner.RunAsync(api.Url, token: "ghs_secret-token-value");

        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = result.Process.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal($"::add-mask::{key}", lines[0]);
        Assert.Equal("::add-mask::ghs_secret-token-value", lines[1]);
        Assert.Equal(1, Count(result.Process.Stdout, key));
        Assert.Equal(1, Count(result.Process.Stdout, "ghs_secret-token-value"));
        Assert.Equal(0, Count(result.Process.Stderr, key));
        Assert.Equal(0, Count(result.Summary, key));
        Assert.DoesNotContain(result.Outputs.Values, v => v.Contains(key, StringComparison.Ordinal));
        Assert.Equal(0, Count(File.ReadAllText(result.Outputs["run-json"]), key));
        Assert.Equal(0, Count(File.ReadAllText(result.Outputs["report-md"]), key));
        Assert.NotEmpty(api.Requests);
        Assert.All(api.Requests, r => Assert.DoesNotContain(key, r.Body + r.PathAndQuery + r.Authorization, StringComparison.Ordinal));
        Assert.All(Directory.EnumerateFiles(runner.Temp, "*", SearchOption.AllDirectories), f => Assert.DoesNotContain(key, File.ReadAllText(f), StringComparison.Ordinal));
    }

    private static int Count(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
