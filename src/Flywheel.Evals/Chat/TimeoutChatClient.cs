using Microsoft.Extensions.AI;

namespace Flywheel.Evals.Chat;

/// <summary>Abandons a call that takes longer than the per-call timeout, as a <see cref="TimeoutException"/> the retry layer may retry.</summary>
public sealed class TimeoutChatClient : DelegatingChatClient
{
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    /// <summary>Wraps a client with a per-call timeout.</summary>
    public TimeoutChatClient(IChatClient innerClient, TimeSpan timeout, TimeProvider time)
        : base(innerClient)
    {
        _timeout = timeout;
        _time = time;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await base.GetResponseAsync(messages, options, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no answer within {Seconds(_timeout)}", ex);
        }
    }

    internal static string Seconds(TimeSpan span) =>
        span.TotalSeconds >= 1 ? $"{span.TotalSeconds:0.#} s" : $"{span.TotalMilliseconds:0} ms";
}
