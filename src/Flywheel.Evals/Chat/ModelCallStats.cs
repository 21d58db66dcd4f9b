namespace Flywheel.Evals.Chat;

/// <summary>What one model pipeline (the judge or the chat target) did during a run; thread-safe, read live by progress output.</summary>
public sealed class ModelCallStats
{
    private long _requests;
    private long _cacheHits;
    private long _retries;
    private long _failures;
    private long _inputTokens;
    private long _outputTokens;
    private long _cacheWriteFailures;

    /// <summary>Creates the counters of a pipeline.</summary>
    /// <param name="role">judge or target.</param>
    /// <param name="endpoint">The endpoint as it may be shown (no user info, no query).</param>
    /// <param name="model">The model name.</param>
    public ModelCallStats(string role, string endpoint, string model)
    {
        Role = role;
        Endpoint = endpoint;
        Model = model;
    }

    /// <summary>judge or target.</summary>
    public string Role { get; }

    /// <summary>The endpoint (no user info, no query string).</summary>
    public string Endpoint { get; }

    /// <summary>The model name.</summary>
    public string Model { get; }

    /// <summary>HTTP requests sent to the endpoint, retries included: what the call budget counts.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Requests answered from the disk cache without a call.</summary>
    public long CacheHits => Interlocked.Read(ref _cacheHits);

    /// <summary>Requests sent again after a 429, a 5xx, a timeout or a dropped connection.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Calls that failed for good (after their retries, or refused by the budget).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Prompt tokens reported by the endpoint for live calls.</summary>
    public long InputTokens => Interlocked.Read(ref _inputTokens);

    /// <summary>Completion tokens reported by the endpoint for live calls.</summary>
    public long OutputTokens => Interlocked.Read(ref _outputTokens);

    /// <summary>Answers that could not be written to the cache (used, but a re-run will ask again).</summary>
    public long CacheWriteFailures => Interlocked.Read(ref _cacheWriteFailures);

    internal void AddCacheWriteFailure() => Interlocked.Increment(ref _cacheWriteFailures);

    internal void AddRequest() => Interlocked.Increment(ref _requests);

    internal void AddCacheHit() => Interlocked.Increment(ref _cacheHits);

    internal void AddRetry() => Interlocked.Increment(ref _retries);

    internal void AddFailure() => Interlocked.Increment(ref _failures);

    internal void AddUsage(long? input, long? output)
    {
        if (input is { } i)
        {
            Interlocked.Add(ref _inputTokens, i);
        }

        if (output is { } o)
        {
            Interlocked.Add(ref _outputTokens, o);
        }
    }
}
