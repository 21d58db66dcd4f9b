using Flywheel.Evals.Suites;

namespace Flywheel.Evals.Chat;

/// <summary>A run's access to models: one pipeline per endpoint role, sharing the cache, the concurrency gate and the call budget.</summary>
public sealed class ModelAccess : IAsyncDisposable, IDisposable
{
    private readonly ModelCallOptions _options;
    private readonly ChatPipelineShared _shared;
    private readonly List<ChatPipeline> _pipelines = [];
    private readonly SemaphoreSlim _gate;

    /// <summary>Creates the run's model access.</summary>
    /// <param name="options">The command line's model-call settings.</param>
    /// <param name="suiteRoot">The suite root; the cache defaults to <c>.flywheel/cache</c> under it.</param>
    /// <param name="time">The clock.</param>
    public ModelAccess(ModelCallOptions options, string suiteRoot, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var concurrency = Math.Max(1, options.Concurrency);
        _gate = new SemaphoreSlim(concurrency, concurrency);
        Budget = new CallBudget(options.MaxCalls);
        CacheDirectory = Path.GetFullPath(options.CacheDirectory ?? Path.Combine(suiteRoot, ".flywheel", "cache"));
        _shared = new ChatPipelineShared
        {
            CacheDirectory = Path.Combine(CacheDirectory, "chat"),
            ReadCache = options.ReadCache,
            Gate = _gate,
            Budget = Budget,
            Retry = new RetrySettings(3, options.RetryBaseDelay, options.MaxRetryDelay),
            Time = time,
        };
    }

    /// <summary>The run's call budget.</summary>
    public CallBudget Budget { get; }

    /// <summary>The cache folder.</summary>
    public string CacheDirectory { get; }

    /// <summary>The stats of every pipeline opened.</summary>
    public IReadOnlyList<ModelCallStats> Stats => _pipelines.Select(p => p.Stats).ToList();

    /// <summary>Opens the pipeline of an endpoint; its key is read from the environment variable the suite names.</summary>
    public ChatPipeline Open(string role, ModelEndpointConfig endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var key = endpoint.ApiKeyEnv is { } name ? _options.Environment(name) : null;
        var pipeline = ChatPipeline.Create(role, endpoint, key, _shared);
        _pipelines.Add(pipeline);
        return pipeline;
    }

    /// <summary>Waits until every answer received is in the cache; call it before the run ends.</summary>
    public async Task FlushAsync()
    {
        foreach (var pipeline in _pipelines)
        {
            await pipeline.FlushAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await FlushAsync().ConfigureAwait(false);
        Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var pipeline in _pipelines)
        {
            pipeline.Dispose();
        }

        _gate.Dispose();
    }
}
