using Microsoft.Extensions.AI;

namespace Flywheel.Evals.Chat;

/// <summary>Creates the SDK client on the first call: a re-run answered wholly from the cache never loads or configures it.</summary>
internal sealed class LazyChatClient(Func<IChatClient> create) : IChatClient
{
    private readonly Lazy<IChatClient> _client = new(create, LazyThreadSafetyMode.ExecutionAndPublication);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _client.Value.GetResponseAsync(messages, options, cancellationToken);

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _client.Value.GetStreamingResponseAsync(messages, options, cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) => _client.Value.GetService(serviceType, serviceKey);

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }
}
