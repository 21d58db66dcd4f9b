namespace Flywheel.Evals.Chat;

/// <summary>How a run calls models (the judge, a chat target): the command line's --max-calls, --judge-repeats, --concurrency, --no-cache.</summary>
public sealed record ModelCallOptions
{
    /// <summary>The most requests the run may send (retries included); null for no limit.</summary>
    public int? MaxCalls { get; init; }

    /// <summary>How often the judge is asked each question; null takes the suite's <c>judge.repeats</c> (default 1).</summary>
    public int? JudgeRepeats { get; init; }

    /// <summary>The most calls in flight at once, the judge and the chat target together.</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>False to make every call even when the cache holds the answer (answers are still stored).</summary>
    public bool ReadCache { get; init; } = true;

    /// <summary>The cache folder; null for <c>.flywheel/cache</c> under the suite root.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>The first retry's backoff (doubled each retry, with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between retries; a Retry-After beyond it fails the call.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Reads an environment variable (API keys); tests pass their own.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
}
