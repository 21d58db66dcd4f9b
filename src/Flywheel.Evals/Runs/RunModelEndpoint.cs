namespace Flywheel.Evals.Runs;

/// <summary>One endpoint's calls in a run.</summary>
public sealed record RunModelEndpoint
{
    /// <summary>judge or target.</summary>
    public required string Role { get; init; }

    /// <summary>The endpoint (no user info, no query string).</summary>
    public required string Endpoint { get; init; }

    /// <summary>The model name.</summary>
    public required string Model { get; init; }

    /// <summary>Requests sent (retries included).</summary>
    public long Requests { get; init; }

    /// <summary>Requests answered from the cache.</summary>
    public long CacheHits { get; init; }

    /// <summary>Requests sent again after a transient failure.</summary>
    public long Retries { get; init; }

    /// <summary>Calls that failed for good.</summary>
    public long Failures { get; init; }

    /// <summary>Answers that could not be stored in the cache (a re-run asks again).</summary>
    public long CacheWriteFailures { get; init; }

    /// <summary>Prompt tokens of live calls.</summary>
    public long InputTokens { get; init; }

    /// <summary>Completion tokens of live calls.</summary>
    public long OutputTokens { get; init; }
}
