using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flywheel.Action.GitHub;

/// <summary>
/// The one Flywheel comment per key on a pull request: a comment this token's own identity wrote, not minimized, holding
/// the key's hidden marker, is edited in place; otherwise one is created. A comment anyone else wrote is never touched,
/// whatever it holds.
/// </summary>
internal sealed class StickyComment
{
    /// <summary>GitHub rejects comment bodies longer than this many characters.</summary>
    public const int MaxBodyLength = 65_536;

    private const int MaxPages = 200;

    // GraphQL, because REST shows neither whose token this is (GET /user refuses the Actions token) nor which comments are
    // minimized. viewer is "github-actions[bot]" for the Actions token, "<app>[bot]" for an app's, the user for a PAT.
    private const string FindQuery = """
        query($owner: String!, $name: String!, $number: Int!, $after: String) {
          viewer { login }
          repository(owner: $owner, name: $name) {
            pullRequest(number: $number) {
              comments(first: 100, after: $after) {
                nodes { fullDatabaseId body isMinimized author { __typename login } }
                pageInfo { hasNextPage endCursor }
              }
            }
          }
        }
        """;

    private readonly HttpClient _http;
    private readonly Uri _api;
    private readonly Uri _graphQL;
    private readonly string _repository;
    private readonly string _token;

    /// <summary>Talks to the REST API at <paramref name="api"/> and the GraphQL API at <paramref name="graphQL"/> on behalf of <paramref name="token"/>.</summary>
    public StickyComment(HttpClient http, Uri api, Uri graphQL, string repository, string token)
    {
        _http = http;
        _api = api;
        _graphQL = graphQL;
        _repository = repository;
        _token = token;
    }

    /// <summary>The hidden marker for a key (the suite path unless the workflow sets <c>comment-key</c>): one sticky comment per key, so two suites or two matrix legs never overwrite each other.</summary>
    public static string MarkerFor(string key)
    {
        ArgumentNullException.ThrowIfNull(key);

        // '>' could close the HTML comment early; '%' is escaped first so the encoding stays reversible.
        var safe = key.Replace("%", "%25", StringComparison.Ordinal)
            .Replace(">", "%3E", StringComparison.Ordinal)
            .Replace("\r", "%0D", StringComparison.Ordinal)
            .Replace("\n", "%0A", StringComparison.Ordinal);
        return $"<!-- flywheel-sticky key={safe} -->";
    }

    /// <summary>True when a comment's author is the token's own identity: a bot's comment shows its login without the "[bot]" the viewer has, so the kind of account must agree too.</summary>
    public static bool IsOwnComment(string? authorType, string? authorLogin, string viewerLogin)
    {
        ArgumentNullException.ThrowIfNull(viewerLogin);
        if (authorLogin is null)
        {
            return false;
        }

        const string bot = "[bot]";
        return viewerLogin.EndsWith(bot, StringComparison.OrdinalIgnoreCase)
            ? authorType == "Bot" && (string.Equals(authorLogin, viewerLogin[..^bot.Length], StringComparison.OrdinalIgnoreCase) || string.Equals(authorLogin, viewerLogin, StringComparison.OrdinalIgnoreCase))
            : authorType == "User" && string.Equals(authorLogin, viewerLogin, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Updates this identity's comment carrying <paramref name="marker"/> on pull request <paramref name="number"/>, or creates it; API refusals come back as a failed result, never as an exception.</summary>
    public async Task<StickyCommentResult> UpsertAsync(int number, string marker, string body, CancellationToken cancellationToken)
    {
        try
        {
            var (existing, problem) = await FindAsync(number, marker, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                return new StickyCommentResult(StickyCommentResult.Failed, null, problem);
            }

            var payload = new JsonObject { ["body"] = body }.ToJsonString();
            var (method, uri, outcome) = existing is { } id
                ? (HttpMethod.Patch, Api($"repos/{Repo()}/issues/comments/{id}"), StickyCommentResult.Updated)
                : (HttpMethod.Post, Api($"repos/{Repo()}/issues/{number}/comments"), StickyCommentResult.Created);
            using var response = await SendAsync(method, uri, payload, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return new StickyCommentResult(StickyCommentResult.Failed, null, await ProblemAsync(response, existing is null ? "creating the comment" : "updating the comment", cancellationToken).ConfigureAwait(false));
            }

            using var json = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
            var url = json?.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("html_url", out var u) ? u.GetString() : null;
            return new StickyCommentResult(outcome, url, outcome == StickyCommentResult.Created ? "posted a new Flywheel comment" : "updated the Flywheel comment in place");
        }
        catch (HttpRequestException ex)
        {
            return new StickyCommentResult(StickyCommentResult.Failed, null, $"the GitHub API at {_api} could not be reached ({ex.Message})");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new StickyCommentResult(StickyCommentResult.Failed, null, $"the GitHub API at {_api} did not answer in time");
        }
    }

    private async Task<(long? Id, string? Problem)> FindAsync(int number, string marker, CancellationToken cancellationToken)
    {
        const string doing = "listing the pull request's comments";
        var parts = _repository.Split('/', 2);
        string? after = null;
        for (var pages = 0; pages < MaxPages; pages++)
        {
            var variables = new JsonObject { ["owner"] = parts[0], ["name"] = parts.Length > 1 ? parts[1] : string.Empty, ["number"] = number, ["after"] = after };
            var payload = new JsonObject { ["query"] = FindQuery, ["variables"] = variables }.ToJsonString();
            using var response = await SendAsync(HttpMethod.Post, _graphQL, payload, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return (null, await ProblemAsync(response, doing, cancellationToken).ConfigureAwait(false));
            }

            using var json = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
            if (json?.RootElement is not { ValueKind: JsonValueKind.Object } root)
            {
                return (null, $"{doing}: the GraphQL API did not answer with a JSON object");
            }

            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                var message = errors[0].ValueKind == JsonValueKind.Object && errors[0].TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : "an error";
                return (null, $"{doing} failed: GraphQL said {message}");
            }

            if (Text(root, "data", "viewer", "login") is not { } viewer
                || !TryGet(root, out var comments, "data", "repository", "pullRequest", "comments")
                || !comments.TryGetProperty("nodes", out var nodes) || nodes.ValueKind != JsonValueKind.Array)
            {
                return (null, $"{doing}: the GraphQL answer has no viewer or no pull request #{number}");
            }

            foreach (var comment in nodes.EnumerateArray())
            {
                if (comment.ValueKind == JsonValueKind.Object
                    && !(comment.TryGetProperty("isMinimized", out var minimized) && minimized.ValueKind == JsonValueKind.True)
                    && IsOwnComment(Text(comment, "author", "__typename"), Text(comment, "author", "login"), viewer)
                    && Text(comment, "body") is { } text && text.Contains(marker, StringComparison.Ordinal)
                    && DatabaseId(comment) is { } id)
                {
                    return (id, null);
                }
            }

            if (!TryGet(comments, out var pageInfo, "pageInfo") || !(pageInfo.TryGetProperty("hasNextPage", out var next) && next.ValueKind == JsonValueKind.True)
                || Text(pageInfo, "endCursor") is not { } cursor)
            {
                return (null, null);
            }

            after = cursor;
        }

        return (null, null);
    }

    /// <summary>The REST id: <c>fullDatabaseId</c> is a BigInt (a string in JSON) because comment ids outgrew GraphQL's 32-bit Int.</summary>
    private static long? DatabaseId(JsonElement comment)
    {
        if (!comment.TryGetProperty("fullDatabaseId", out var id))
        {
            return null;
        }

        return id.ValueKind switch
        {
            JsonValueKind.String when long.TryParse(id.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
            JsonValueKind.Number when id.TryGetInt64(out var value) => value,
            _ => null,
        };
    }

    private static bool TryGet(JsonElement element, out JsonElement found, params string[] path)
    {
        found = element;
        foreach (var name in path)
        {
            if (found.ValueKind != JsonValueKind.Object || !found.TryGetProperty(name, out found))
            {
                return false;
            }
        }

        return true;
    }

    private static string? Text(JsonElement element, params string[] path) =>
        TryGet(element, out var found, path) && found.ValueKind == JsonValueKind.String ? found.GetString() : null;

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, string? json, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("flywheel", "1.0"));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<JsonDocument?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<string> ProblemAsync(HttpResponseMessage response, string doing, CancellationToken cancellationToken)
    {
        string? message = null;
        using (var json = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false))
        {
            if (json?.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
            {
                message = m.GetString();
            }
        }

        var status = (int)response.StatusCode;
        var hint = response.StatusCode switch
        {
            HttpStatusCode.Forbidden => "; the token may not write to pull requests (give the job 'permissions: pull-requests: write'; a fork's pull request gets a read-only token)",
            HttpStatusCode.NotFound => "; the token cannot see this repository or pull request",
            HttpStatusCode.Unauthorized => "; the token was rejected",
            _ => string.Empty,
        };
        return $"{doing} failed: HTTP {status}{(message is null ? string.Empty : $" ({message})")}{hint}";
    }

    private string Repo() => string.Join('/', _repository.Split('/').Select(Uri.EscapeDataString));

    private Uri Api(string relative) => new(_api, relative);
}
