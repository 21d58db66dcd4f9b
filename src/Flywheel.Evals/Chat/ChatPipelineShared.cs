namespace Flywheel.Evals.Chat;

/// <summary>What every pipeline of a run shares: the cache folder, the concurrency gate, the call budget and the retry timing.</summary>
public sealed record ChatPipelineShared
{
    /// <summary>The cache folder (<c>.flywheel/cache/chat</c>).</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>False to call even when the cache holds the answer.</summary>
    public bool ReadCache { get; init; } = true;

    /// <summary>The gate that bounds calls in flight across pipelines.</summary>
    public required SemaphoreSlim Gate { get; init; }

    /// <summary>The run's call budget.</summary>
    public required CallBudget Budget { get; init; }

    /// <summary>Backoff timing (the retry count comes from each endpoint).</summary>
    public required RetrySettings Retry { get; init; }

    /// <summary>The clock for timeouts and backoff.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
