using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Flywheel.Evals.Diagnostics;
using Microsoft.Extensions.AI;

namespace Flywheel.Evals.Chat;

/// <summary>
/// Answers a request from <c>.flywheel/cache/</c> when the same canonical request (endpoint, model, messages, options)
/// was answered before, so a re-run with nothing changed makes no call. A file holds the response only: no request, no key.
/// </summary>
/// <remarks>
/// Writes go to a temporary file in the same folder and are renamed into place, so a reader (another row, another run,
/// a killed process) never sees half a response; a file that cannot be read is a miss and is rewritten. Writing is file-system
/// work the caller need not wait for: one background writer does it, answers waiting to be written are served from memory,
/// and <see cref="FlushAsync"/> (called when the run ends) waits until every answer is on disk.
/// </remarks>
public sealed class DiskCachingChatClient : DelegatingChatClient
{
    private readonly string _directory;
    private readonly string _endpoint;
    private readonly string _model;
    private readonly bool _read;
    private readonly ModelCallStats _stats;
    private readonly ConcurrentDictionary<string, ChatResponse> _unwritten = new(StringComparer.Ordinal);
    private readonly Channel<(string Path, ChatResponse Response)> _writes = Channel.CreateUnbounded<(string, ChatResponse)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

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
        // Synchronous file writes on a dedicated thread: they neither block pool threads the calls need nor delay an answer.
        _writer = Task.Factory.StartNew(WriteAll, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
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
        if (_read && (_unwritten.TryGetValue(path, out var pending) ? pending : TryRead(path)) is { } cached)
        {
            _stats.AddCacheHit();
            return cached;
        }

        var response = await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        var stored = Storable(response);
        _unwritten[path] = stored;
        if (!_writes.Writer.TryWrite((path, stored)))
        {
            throw new InvalidOperationException("the disk cache was flushed for good; no more answers can be stored");
        }

        return response;
    }

    /// <summary>Waits until every answer received is on disk; no answer may arrive afterwards.</summary>
    public async Task FlushAsync()
    {
        _writes.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        // Disposing also flushes: the writer is a dedicated thread, so waiting for it cannot deadlock.
        _writes.Writer.TryComplete();
        _writer.GetAwaiter().GetResult();
        base.Dispose(disposing);
    }

    private static ChatResponse? TryRead(string path)
    {
        // Entries are small: one synchronous read beats an async file handle, and a miss is a stat, not an exception.
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return (ChatResponse?)JsonSerializer.Deserialize(File.ReadAllBytes(path), AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatResponse)));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or JsonException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Only what answers the request: messages, model, finish reason, usage. Raw SDK objects and headers stay out.</summary>
    private static ChatResponse Storable(ChatResponse response) =>
        new(response.Messages.Select(m => new ChatMessage(m.Role, m.Contents.Where(IsStorable).ToList())).ToList())
        {
            ModelId = response.ModelId,
            FinishReason = response.FinishReason,
            Usage = response.Usage,
            CreatedAt = response.CreatedAt,
        };

    private void WriteAll()
    {
        // The channel is unbounded, so TryRead after WaitToReadAsync always has an item; blocking here is this thread's job.
        while (_writes.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (_writes.Reader.TryRead(out var write))
            {
                try
                {
                    Write(write.Path, write.Response);
                }
                catch (FlywheelInputException)
                {
                    // The answer was used; only its reuse is lost. Counted, so the run says so.
                    _stats.AddCacheWriteFailure();
                }
                finally
                {
                    _unwritten.TryRemove(write.Path, out _);
                }
            }
        }
    }

    private void Write(string path, ChatResponse response)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(response, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatResponse)));
        Flywheel.Evals.Files.AtomicFile.WriteAllBytes(path, bytes);
    }

    private static bool IsStorable(AIContent content) => content is TextContent or FunctionCallContent or TextReasoningContent;
}
