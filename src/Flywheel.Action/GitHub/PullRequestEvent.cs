using System.Text.Json;

namespace Flywheel.Action.GitHub;

/// <summary>What Flywheel needs from a <c>pull_request</c> event payload (the file named by <c>GITHUB_EVENT_PATH</c>).</summary>
internal sealed record PullRequestEvent
{
    /// <summary>The pull request number (the issue number comments are posted to).</summary>
    public required int Number { get; init; }

    /// <summary>The base branch's commit when the event fired.</summary>
    public required string BaseSha { get; init; }

    /// <summary>The head commit of the pull request.</summary>
    public required string HeadSha { get; init; }

    /// <summary>owner/name of the repository the pull request targets.</summary>
    public required string BaseRepository { get; init; }

    /// <summary>owner/name of the repository the head branch lives in; null when that fork was deleted.</summary>
    public string? HeadRepository { get; init; }

    /// <summary>True when the head branch lives in another repository: the workflow's token cannot write to this one.</summary>
    public bool IsFork => !string.Equals(HeadRepository, BaseRepository, StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the pull request from an event payload; null when the payload has no <c>pull_request</c> (a push, a manual run).</summary>
    /// <exception cref="FormatException">The payload is not JSON or its pull_request lacks a number, base or head.</exception>
    public static PullRequestEvent? Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not valid JSON ({ex.Message})", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("pull_request", out var pr)
                || pr.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var number = pr.TryGetProperty("number", out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out var value) ? value
                : throw new FormatException("pull_request.number is missing");
            return new PullRequestEvent
            {
                Number = number,
                BaseSha = Text(pr, "base", "sha") ?? throw new FormatException("pull_request.base.sha is missing"),
                HeadSha = Text(pr, "head", "sha") ?? throw new FormatException("pull_request.head.sha is missing"),
                BaseRepository = Text(pr, "base", "repo", "full_name") ?? throw new FormatException("pull_request.base.repo.full_name is missing"),
                HeadRepository = Text(pr, "head", "repo", "full_name"),
            };
        }
    }

    private static string? Text(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }
}
