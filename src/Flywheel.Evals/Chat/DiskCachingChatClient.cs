using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Flywheel.Evals.Chat;

/// <summary>
/// Answers a request from <c>.flywheel/cache/</c> when the same canonical request (endpoint, model, messages, options)
/// was answered before, so a re-run with nothing changed makes no call. A file holds the response only: no request, no key.
/// </summary>
/// <remarks>
/// Writes go to a temporary file in the same folder and are renamed into place, so a reader (another row, another run,
/// a killed process) never sees half a response. A file that cannot be read is treated as a miss and rewritten.
/// </remarks>
public sealed class DiskCachingChatClient : DelegatingChatClient
{
    private readonly string _directory;
    private readonly string _endpoint;
    private readonly string _model;
    private readonly bool _read;
    private readonly ModelCallStats _stats;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _created = new(StringComparer.Ordinal);

    /// <summary>Wraps a client with the disk cache.</summary>
    /// <param name="innerClient">The client that makes the call on a miss.</param>
    /// <param name="directory">The cache folder (<c>.flywheel/cache/chat</c> under the suite root).</param>
    /// <param name="endpoint">The endpoint as hashed (no user info, no query).</param>
    /// <param name="model">The model name.</param>
    /// <param name="stats">Counts hits.</param>
    /// <param name="read">False to make every call anyway (--no-cache); answers are still stored.</param>
    public DiskCachingChatClient(IChatClient innerClient, string directory, string endpoint, string model, ModelCallStats stats, bool read = true)
        : base(innerClient)
    {
        _directory = directory;
        _endpoint = endpoint;
        _model = model;
        _stats = stats;
        _read = read;
    }

    /// <summary>The file a request's response is stored in.</summary>
    public string PathOf(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var key = ChatRequestKey.Compute(_endpoint, _model, messages, options);
        return Path.Combine(_directory, key[..2], key + ".json");
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var path = PathOf(list, options);
        if (_read && await TryReadAsync(path, cancellationToken).ConfigureAwait(false) is { } cached)
        {
            _stats.AddCacheHit();
            return cached;
        }

        var response = await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        await WriteAsync(path, response, cancellationToken).ConfigureAwait(false);
        return response;
    }

    private static ValueTask<ChatResponse?> TryReadAsync(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // Entries are small: one synchronous read beats an async file handle, and a miss is a stat, not an exception.
        if (!File.Exists(path))
        {
            return ValueTask.FromResult<ChatResponse?>(null);
        }

        try
        {
            return ValueTask.FromResult(JsonSerializer.Deserialize<ChatResponse>(File.ReadAllBytes(path), AIJsonUtilities.DefaultOptions));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or JsonException or NotSupportedException)
        {
            return ValueTask.FromResult<ChatResponse?>(null);
        }
    }

    private Task WriteAsync(string path, ChatResponse response, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // Only what answers the request: messages, model, finish reason, usage. Raw SDK objects and headers stay out.
        var stored = new ChatResponse(response.Messages.Select(m => new ChatMessage(m.Role, m.Contents.Where(IsStorable).ToList())).ToList())
        {
            ModelId = response.ModelId,
            FinishReason = response.FinishReason,
            Usage = response.Usage,
            CreatedAt = response.CreatedAt,
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(stored, AIJsonUtilities.DefaultOptions);
        var directory = Path.GetDirectoryName(path)!;
        if (_created.TryAdd(directory, 0))
        {
            Directory.CreateDirectory(directory);
        }

        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        return Task.CompletedTask;
    }

    private static bool IsStorable(AIContent content) => content is TextContent or FunctionCallContent or TextReasoningContent;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A stray temporary file is harmless; it never has the name of an entry.
        }
    }
}
