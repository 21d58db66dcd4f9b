using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flywheel.Action.GitHub;

/// <summary>The one Flywheel comment on a pull request: found by a hidden marker and edited in place, created only when absent.</summary>
internal sealed class StickyComment
{
    /// <summary>GitHub rejects comment bodies longer than this many characters.</summary>
    public const int MaxBodyLength = 65_536;

    private const int MaxPages = 200;
    private readonly HttpClient _http;
    private readonly Uri _api;
    private readonly string _repository;
    private readonly string _token;

    /// <summary>Talks to the REST API at <paramref name="api"/> on behalf of <paramref name="token"/>.</summary>
    public StickyComment(HttpClient http, Uri api, string repository, string token)
    {
        _http = http;
        _api = api;
        _repository = repository;
        _token = token;
    }

    /// <summary>The hidden marker for a suite: one sticky comment per suite file, so two suites in one repository never overwrite each other.</summary>
    public static string MarkerFor(string config)
    {
        ArgumentNullException.ThrowIfNull(config);

        // '>' could close the HTML comment early; '%' is escaped first so the encoding stays reversible.
        var safe = config.Replace("%", "%25", StringComparison.Ordinal)
            .Replace(">", "%3E", StringComparison.Ordinal)
            .Replace("\r", "%0D", StringComparison.Ordinal)
            .Replace("\n", "%0A", StringComparison.Ordinal);
        return $"<!-- flywheel-sticky config={safe} -->";
    }

    /// <summary>Updates the comment carrying <paramref name="marker"/> on pull request <paramref name="number"/>, or creates it; API refusals come back as a failed result, never as an exception.</summary>
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
        Uri? page = Api($"repos/{Repo()}/issues/{number}/comments?per_page=100");
        for (var pages = 0; page is not null && pages < MaxPages; pages++)
        {
            using var response = await SendAsync(HttpMethod.Get, page, null, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return (null, await ProblemAsync(response, "listing the pull request's comments", cancellationToken).ConfigureAwait(false));
            }

            using var json = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
            if (json is null || json.RootElement.ValueKind != JsonValueKind.Array)
            {
                return (null, "listing the pull request's comments: the API did not answer with a JSON array");
            }

            foreach (var comment in json.RootElement.EnumerateArray())
            {
                if (comment.ValueKind == JsonValueKind.Object
                    && comment.TryGetProperty("body", out var text) && text.ValueKind == JsonValueKind.String
                    && text.GetString()!.Contains(marker, StringComparison.Ordinal)
                    && comment.TryGetProperty("id", out var id) && id.TryGetInt64(out var value))
                {
                    return (value, null);
                }
            }

            page = NextPage(response);
        }

        return (null, null);
    }

    /// <summary>The <c>rel="next"</c> link, followed only on the API's own host so the token never travels elsewhere.</summary>
    private Uri? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        foreach (var part in links.SelectMany(l => l.Split(',')))
        {
            var pieces = part.Split(';', StringSplitOptions.TrimEntries);
            if (pieces.Length < 2 || !pieces.Skip(1).Any(p => p.Replace(" ", string.Empty, StringComparison.Ordinal) == "rel=\"next\""))
            {
                continue;
            }

            var target = pieces[0].Trim('<', '>');
            if (Uri.TryCreate(target, UriKind.Absolute, out var next)
                && Uri.Compare(next, _api, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
            {
                return next;
            }
        }

        return null;
    }

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
