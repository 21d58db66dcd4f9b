using System.ClientModel;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.AI;

namespace Flywheel.Evals.Chat;

/// <summary>
/// Retries calls that failed for a reason that may pass: 408, 429, 5xx, a timeout, a dropped connection. Waits what the server
/// asks (<c>retry-after-ms</c>, <c>Retry-After</c> in seconds or as a date), else a jittered exponential backoff.
/// The OpenAI SDK's own retries are switched off, so this is the only retry layer and the request counts are exact.
/// </summary>
public sealed class RetryingChatClient : DelegatingChatClient
{
    private readonly RetrySettings _settings;
    private readonly ModelCallStats _stats;
    private readonly TimeProvider _time;

    /// <summary>Wraps a client with retries.</summary>
    public RetryingChatClient(IChatClient innerClient, RetrySettings settings, ModelCallStats stats, TimeProvider time)
        : base(innerClient)
    {
        _settings = settings;
        _stats = stats;
        _time = time;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
            }
            catch (CallBudgetExhaustedException)
            {
                _stats.AddFailure();
                throw;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var failure = Classify(ex, _time.GetUtcNow());
                if (!failure.Transient)
                {
                    _stats.AddFailure();
                    throw new ModelCallException(failure.Description, ex);
                }

                if (attempt > _settings.MaxRetries)
                {
                    _stats.AddFailure();
                    throw new ModelCallException($"{failure.Description} (gave up after {attempt} attempt(s))", ex);
                }

                if (failure.RetryAfter is { } asked && asked > _settings.MaxDelay)
                {
                    _stats.AddFailure();
                    throw new ModelCallException($"{failure.Description}; the server asked to retry after {TimeoutChatClient.Seconds(asked)}, longer than the {TimeoutChatClient.Seconds(_settings.MaxDelay)} Flywheel waits", ex);
                }

                _stats.AddRetry();
                await Task.Delay(failure.RetryAfter ?? Backoff(attempt), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Equal jitter: half the exponential step fixed, half random, so parallel rows that failed together do not retry together.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var step = Math.Min(_settings.MaxDelay.TotalMilliseconds, _settings.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds((step / 2) + (Random.Shared.NextDouble() * step / 2));
    }

    /// <summary>Whether a failure may pass, how to describe it (without headers or key), and how long the server asked to wait.</summary>
    internal static (bool Transient, string Description, TimeSpan? RetryAfter) Classify(Exception exception, DateTimeOffset now) => exception switch
    {
        ClientResultException { Status: 0 } result => (true, $"no response from the endpoint ({Describe(result.InnerException ?? result)})", null),
        ClientResultException result => (IsTransientStatus(result.Status), $"HTTP {result.Status} {Reason(result.Status)}", RetryAfter(result, now)),
        TimeoutException timeout => (true, $"timed out: {timeout.Message}", null),
        HttpRequestException http => (true, $"connection failed ({Describe(http)})", null),
        IOException io => (true, $"connection dropped ({Describe(io)})", null),
        OperationCanceledException => (true, "the connection was cancelled before an answer arrived", null),
        _ => (false, $"the endpoint's answer could not be read ({exception.GetType().Name}: {FirstLine(exception.Message)})", null),
    };

    private static bool IsTransientStatus(int status) => status is 408 or 409 or 429 or >= 500;

    private static string Reason(int status) =>
        Enum.IsDefined(typeof(HttpStatusCode), status) ? ((HttpStatusCode)status).ToString() : "error";

    private static string Describe(Exception exception)
    {
        var innermost = exception;
        while (innermost.InnerException is { } inner)
        {
            innermost = inner;
        }

        return $"{innermost.GetType().Name}: {FirstLine(innermost.Message)}";
    }

    private static string FirstLine(string message)
    {
        var line = message.ReplaceLineEndings("\n").Split('\n', 2)[0];
        return line.Length <= 200 ? line : line[..199] + "…";
    }

    private static TimeSpan? RetryAfter(ClientResultException exception, DateTimeOffset now)
    {
        var headers = exception.GetRawResponse()?.Headers;
        if (headers is null)
        {
            return null;
        }

        if (headers.TryGetValue("retry-after-ms", out var ms) && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && millis >= 0)
        {
            return TimeSpan.FromMilliseconds(millis);
        }

        if (headers.TryGetValue("Retry-After", out var value) && value is not null)
        {
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            {
                return TimeSpan.FromSeconds(seconds);
            }

            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                var wait = at - now;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        return null;
    }
}
