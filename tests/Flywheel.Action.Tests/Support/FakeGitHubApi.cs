using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flywheel.Action.Tests.Support;

/// <summary>
/// A small stand-in for GitHub's issue-comment endpoints on 127.0.0.1: REST to create and edit comments, GraphQL to list
/// them with their author and minimized state (paged by cursor, 100 at a time, like GitHub), and every request recorded.
/// Each token has an identity: a bot shows as "name[bot]" to itself (viewer) and as "name" (type Bot) on its comments.
/// </summary>
internal sealed class FakeGitHubApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<StoredComment> _comments = [];
    private long _nextId = 1000;

    private FakeGitHubApi(WebApplication app)
    {
        _app = app;
    }

    public Uri Url { get; private set; } = null!;

    public ConcurrentQueue<GitHubRequest> Requests { get; } = new();

    /// <summary>When set, every request is answered with this status and a GitHub-style error body.</summary>
    public HttpStatusCode? RefuseWith { get; set; }

    public IReadOnlyList<StoredComment> Comments
    {
        get
        {
            lock (_gate)
            {
                return _comments.ToList();
            }
        }
    }

    public static async Task<FakeGitHubApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var api = new FakeGitHubApi(app);
        api.Map(app);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api.Url = new Uri(address);
        return api;
    }

    /// <summary>The Actions token's identity; every token not in <see cref="Identities"/> has it.</summary>
    public const string ActionsBot = "github-actions[bot]";

    /// <summary>The login behind each token (a PAT's user, an app's "slug[bot]").</summary>
    public Dictionary<string, string> Identities { get; } = new(StringComparer.Ordinal);

    public long Seed(int issue, string body, string user = "someone", bool minimized = false)
    {
        lock (_gate)
        {
            var id = _nextId++;
            _comments.Add(new StoredComment(id, issue, body, user, minimized));
            return id;
        }
    }

    public IReadOnlyList<GitHubRequest> RequestsWith(string method) => Requests.Where(r => r.Method == method).ToList();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
            context.Request.Body.Position = 0;
            Requests.Enqueue(new GitHubRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, context.Request.Headers.Authorization.ToString(), context.Request.Headers.UserAgent.ToString(), body));
            if (RefuseWith is { } status)
            {
                await Write(context, (int)status, new JsonObject { ["message"] = "Resource not accessible by integration", ["status"] = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture) });
                return;
            }

            if (!context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal))
            {
                await Write(context, 401, new JsonObject { ["message"] = "Requires authentication" });
                return;
            }

            await next(context);
        });

        app.MapGet("/repos/{owner}/{repo}/issues/{number:int}/comments", (HttpContext context, string owner, string repo, int number) =>
        {
            var perPage = int.TryParse(context.Request.Query["per_page"], out var p) ? Math.Clamp(p, 1, 100) : 30;
            var page = int.TryParse(context.Request.Query["page"], out var n) ? Math.Max(n, 1) : 1;
            List<StoredComment> all;
            lock (_gate)
            {
                all = _comments.Where(c => c.Issue == number).ToList();
            }

            var slice = all.Skip((page - 1) * perPage).Take(perPage).ToList();
            if (page * perPage < all.Count)
            {
                var lastPage = (all.Count + perPage - 1) / perPage;
                var basePath = $"{Url.ToString().TrimEnd('/')}/repos/{owner}/{repo}/issues/{number}/comments";
                context.Response.Headers["Link"] = $"<{basePath}?per_page={perPage}&page={page + 1}>; rel=\"next\", <{basePath}?per_page={perPage}&page={lastPage}>; rel=\"last\"";
            }

            return Write(context, 200, new JsonArray(slice.Select(c => (JsonNode)ToJson(c, owner, repo)).ToArray()));
        });

        app.MapPost("/repos/{owner}/{repo}/issues/{number:int}/comments", async (HttpContext context, string owner, string repo, int number) =>
        {
            var body = await ReadBodyAsync(context);
            if (body is null)
            {
                await Write(context, 422, new JsonObject { ["message"] = "Validation Failed" });
                return;
            }

            var user = IdentityOf(context);
            var id = Seed(number, body, user);
            await Write(context, 201, ToJson(new StoredComment(id, number, body, user, false), owner, repo));
        });

        app.MapPost("/graphql", async (HttpContext context) =>
        {
            var request = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var variables = request?["variables"];
            var number = variables?["number"]?.GetValue<int>() ?? 0;
            var after = variables?["after"]?.GetValue<string>() is { } cursor ? int.Parse(cursor, System.Globalization.CultureInfo.InvariantCulture) : 0;
            List<StoredComment> all;
            lock (_gate)
            {
                all = _comments.Where(c => c.Issue == number).ToList();
            }

            var page = all.Skip(after).Take(100).ToList();
            var nodes = new JsonArray(page.Select(c => (JsonNode)new JsonObject
            {
                ["fullDatabaseId"] = c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["body"] = c.Body,
                ["isMinimized"] = c.Minimized,
                ["author"] = c.User.EndsWith("[bot]", StringComparison.Ordinal)
                    ? new JsonObject { ["__typename"] = "Bot", ["login"] = c.User[..^"[bot]".Length] }
                    : new JsonObject { ["__typename"] = "User", ["login"] = c.User },
            }).ToArray());
            var end = after + page.Count;
            await Write(context, 200, new JsonObject
            {
                ["data"] = new JsonObject
                {
                    ["viewer"] = new JsonObject { ["login"] = IdentityOf(context) },
                    ["repository"] = new JsonObject
                    {
                        ["pullRequest"] = new JsonObject
                        {
                            ["comments"] = new JsonObject
                            {
                                ["nodes"] = nodes,
                                ["pageInfo"] = new JsonObject { ["hasNextPage"] = end < all.Count, ["endCursor"] = end.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                            },
                        },
                    },
                },
            });
        });

        app.MapMethods("/repos/{owner}/{repo}/issues/comments/{id:long}", ["PATCH"], async (HttpContext context, string owner, string repo, long id) =>
        {
            var body = await ReadBodyAsync(context);
            StoredComment? updated = null;
            lock (_gate)
            {
                var index = _comments.FindIndex(c => c.Id == id);
                if (index >= 0 && body is not null)
                {
                    updated = _comments[index] = _comments[index] with { Body = body };
                }
            }

            await (updated is null
                ? Write(context, 404, new JsonObject { ["message"] = "Not Found" })
                : Write(context, 200, ToJson(updated, owner, repo)));
        });
    }

    private string IdentityOf(HttpContext context) =>
        Identities.GetValueOrDefault(context.Request.Headers.Authorization.ToString()["Bearer ".Length..], ActionsBot);

    private static async Task<string?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            var json = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            return json?["body"]?.GetValue<string>();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private JsonObject ToJson(StoredComment comment, string owner, string repo) => new()
    {
        ["id"] = comment.Id,
        ["body"] = comment.Body,
        ["user"] = new JsonObject { ["login"] = comment.User },
        ["html_url"] = $"https://github.example/{owner}/{repo}/pull/{comment.Issue}#issuecomment-{comment.Id}",
    };

    private static Task Write(HttpContext context, int status, JsonNode json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(json.ToJsonString(), context.RequestAborted);
    }
}

internal sealed record StoredComment(long Id, int Issue, string Body, string User, bool Minimized);

internal sealed record GitHubRequest(string Method, string PathAndQuery, string Authorization, string UserAgent, string Body);
