using System.ClientModel;
using System.ClientModel.Primitives;
using Flywheel.Evals.Suites;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Flywheel.Evals.Chat;

/// <summary>
/// One endpoint's client: the OpenAI SDK behind <see cref="IChatClient"/>, wrapped (outermost first) in the disk cache,
/// the shared concurrency gate, retries, the call budget and the per-call timeout.
/// </summary>
/// <remarks>
/// The cache is outermost so a hit costs no slot and no budget; the gate is outside the retries so a server answering 429
/// sees no more than N requests in flight from this run; the budget is inside the retries so every request sent is counted;
/// the timeout is innermost so each attempt gets the full time.
/// </remarks>
public sealed class ChatPipeline : IDisposable
{
    // Any OpenAI-compatible server accepts a bearer token; local servers that need none ignore this placeholder.
    private const string NoKey = "no-key";
    private readonly HttpClient _http;

    private readonly DiskCachingChatClient _cache;

    private ChatPipeline(DiskCachingChatClient client, HttpClient http, ModelCallStats stats)
    {
        Client = client;
        _cache = client;
        _http = http;
        Stats = stats;
    }

    /// <summary>The client to call: every request goes through the middleware.</summary>
    public IChatClient Client { get; }

    /// <summary>What this pipeline did.</summary>
    public ModelCallStats Stats { get; }

    /// <summary>Builds the pipeline of one endpoint.</summary>
    /// <param name="role">judge or target (named in stats and progress).</param>
    /// <param name="endpoint">The endpoint and model from the suite.</param>
    /// <param name="apiKey">The key read from the environment, or null for endpoints that need none. Used only in the Authorization header.</param>
    /// <param name="shared">The run's cache folder, gate, budget and retry timing.</param>
    public static ChatPipeline Create(string role, ModelEndpointConfig endpoint, string? apiKey, ChatPipelineShared shared)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(shared);
        var stats = new ModelCallStats(role, endpoint.DisplayEndpoint, endpoint.Model);
        var http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = endpoint.Timeout,
        })
        {
            // The timeout layer decides; HttpClient's own 100 s default would only race it.
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        IChatClient client = new LazyChatClient(() =>
        {
            var options = new OpenAIClientOptions
            {
                Endpoint = endpoint.Endpoint,
                Transport = new HttpClientPipelineTransport(http),
                // Our RetryingChatClient is the only retry layer: the SDK's would hide requests from the budget and the counts.
                RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                NetworkTimeout = endpoint.Timeout + TimeSpan.FromSeconds(30),
            };
            return new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? NoKey : apiKey), options)
                .GetChatClient(endpoint.Model)
                .AsIChatClient();
        });
        client = new TimeoutChatClient(client, endpoint.Timeout, shared.Time);
        client = new CallBudgetChatClient(client, shared.Budget, stats);
        client = new RetryingChatClient(client, shared.Retry with { MaxRetries = endpoint.MaxRetries }, stats, shared.Time);
        client = new ConcurrencyLimitingChatClient(client, shared.Gate);
        var cache = new DiskCachingChatClient(client, shared.CacheDirectory, endpoint.DisplayEndpoint, endpoint.Model, stats, shared.ReadCache);
        return new ChatPipeline(cache, http, stats);
    }

    /// <summary>Waits until every answer received is in the cache.</summary>
    public Task FlushAsync() => _cache.FlushAsync();

    /// <inheritdoc />
    public void Dispose()
    {
        Client.Dispose();
        _http.Dispose();
    }
}
