using Microsoft.Extensions.AI;

namespace Flywheel.Evals.Chat;

/// <summary>Lets at most N calls through at once; the judge and the chat target share one gate (--concurrency).</summary>
public sealed class ConcurrencyLimitingChatClient : DelegatingChatClient
{
    private readonly SemaphoreSlim _gate;

    /// <summary>Wraps a client with a shared gate.</summary>
    public ConcurrencyLimitingChatClient(IChatClient innerClient, SemaphoreSlim gate)
        : base(innerClient) => _gate = gate;

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
