namespace Flywheel.Evals.Chat;

/// <summary>How failed calls are retried: how often, how long to wait at first, and the longest wait accepted.</summary>
/// <param name="MaxRetries">Retries after the first attempt.</param>
/// <param name="BaseDelay">The first backoff; each retry doubles it (with jitter).</param>
/// <param name="MaxDelay">The longest wait: backoff is capped at it, and a Retry-After beyond it fails the call instead of stalling the run.</param>
public sealed record RetrySettings(int MaxRetries, TimeSpan BaseDelay, TimeSpan MaxDelay);
