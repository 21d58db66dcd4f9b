using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flywheel.Testing.ChatServer;

/// <summary>
/// An OpenAI-compatible <c>POST /v1/chat/completions</c> (non-streaming) on 127.0.0.1 with a free port. By default it answers
/// as <see cref="DeterministicJudge"/>; a test can set a responder, a latency, and a queue of behaviours for the next requests
/// (slow, 429 + Retry-After, 5xx, garbage, dropped connection). Requests are recorded in memory.
/// </summary>
public sealed class ChatCompletionsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ServerBehavior> _script = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private int _count;
    private int _inFlight;
    private int _maxInFlight;

    private ChatCompletionsServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>The base URL to configure as an endpoint, e.g. <c>http://127.0.0.1:41234/v1</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>Delay added to every answer (the model's latency).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Computes the answer to a request; defaults to <see cref="DeterministicJudge.Reply"/>.</summary>
    public Func<RecordedRequest, ServerReply> Responder { get; set; } = DeterministicJudge.Reply;

    /// <summary>False to keep no request bodies (benchmarks): only counts.</summary>
    public bool Record { get; set; } = true;

    /// <summary>Requests received so far (recorded ones, in arrival order).</summary>
    public IReadOnlyList<RecordedRequest> Requests => _requests.OrderBy(r => r.Number).ToList();

    /// <summary>How many requests arrived.</summary>
    public int RequestCount => Volatile.Read(ref _count);

    /// <summary>The most requests that were being answered at the same time.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Starts a server on 127.0.0.1 with a free port.</summary>
    public static async Task<ChatCompletionsServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, 0);
            options.Limits.MaxConcurrentConnections = null;
        });
        var app = builder.Build();
        ChatCompletionsServer? server = null;
        app.MapPost("/v1/chat/completions", (HttpContext context) => server!.HandleAsync(context));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new ChatCompletionsServer(app, new Uri(address.TrimEnd('/') + "/v1"));
        return server;
    }

    /// <summary>Queues behaviours for the next requests, one each, in order; after them the server answers normally.</summary>
    public void Enqueue(params ServerBehavior[] behaviors)
    {
        foreach (var behavior in behaviors)
        {
            _script.Enqueue(behavior);
        }
    }

    /// <summary>Forgets recorded requests and counts (the script and settings stay).</summary>
    public void ResetCounts()
    {
        _requests.Clear();
        Interlocked.Exchange(ref _count, 0);
        Interlocked.Exchange(ref _maxInFlight, 0);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        UpdateMax(inFlight);
        try
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
            var number = Interlocked.Increment(ref _count);
            using var document = JsonDocument.Parse(body);
            var request = new RecordedRequest(number, body, document.RootElement.Clone(), context.Request.Headers.Authorization.ToString());
            if (Record)
            {
                _requests.Enqueue(request);
            }

            if (request.Json.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True)
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync("""{"error":{"message":"this test server does not stream"}}""", context.RequestAborted).ConfigureAwait(false);
                return;
            }

            _script.TryDequeue(out var behavior);
            var delay = Latency + (behavior is ServerBehavior.Slow slow ? slow.Delay : TimeSpan.Zero);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, context.RequestAborted).ConfigureAwait(false);
            }

            switch (behavior)
            {
                case ServerBehavior.Status status:
                    context.Response.StatusCode = status.Code;
                    if (status.RetryAfter is { } after)
                    {
                        if (status.InMilliseconds)
                        {
                            context.Response.Headers["retry-after-ms"] = ((long)after.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                        }
                        else
                        {
                            context.Response.Headers.RetryAfter = ((long)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                        }
                    }

                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync($$$"""{"error":{"message":"scripted {{{status.Code}}}","type":"server_error"}}""", context.RequestAborted).ConfigureAwait(false);
                    return;
                case ServerBehavior.GarbageBody:
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync("<html>502 upstream hiccup</html>", context.RequestAborted).ConfigureAwait(false);
                    return;
                case ServerBehavior.Drop:
                    context.Abort();
                    return;
                case ServerBehavior.GarbageContent garbage:
                    await WriteCompletionAsync(context, request, ServerReply.Text(garbage.Content)).ConfigureAwait(false);
                    return;
                case ServerBehavior.Answer answer:
                    await WriteCompletionAsync(context, request, answer.Reply).ConfigureAwait(false);
                    return;
                default:
                    await WriteCompletionAsync(context, request, Responder(request)).ConfigureAwait(false);
                    return;
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up (its timeout): nothing to answer.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private void UpdateMax(int inFlight)
    {
        var seen = Volatile.Read(ref _maxInFlight);
        while (inFlight > seen && Interlocked.CompareExchange(ref _maxInFlight, inFlight, seen) != seen)
        {
            seen = Volatile.Read(ref _maxInFlight);
        }
    }

    private static async Task WriteCompletionAsync(HttpContext context, RecordedRequest request, ServerReply reply)
    {
        context.Response.ContentType = "application/json";
        await using var body = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteString("id", $"chatcmpl-{request.Number}");
            writer.WriteString("object", "chat.completion");
            writer.WriteNumber("created", 1_767_225_600);
            writer.WriteString("model", request.Model ?? "test-model");
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WriteStartObject("message");
            writer.WriteString("role", "assistant");
            if (reply.Content is null)
            {
                writer.WriteNull("content");
            }
            else
            {
                writer.WriteString("content", reply.Content);
            }

            var calls = reply.ToolCalls ?? [];
            if (calls.Count > 0)
            {
                writer.WriteStartArray("tool_calls");
                for (var i = 0; i < calls.Count; i++)
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", $"call_{request.Number}_{i}");
                    writer.WriteString("type", "function");
                    writer.WriteStartObject("function");
                    writer.WriteString("name", calls[i].Name);
                    writer.WriteString("arguments", calls[i].Arguments);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
            writer.WriteString("finish_reason", calls.Count > 0 ? "tool_calls" : "stop");
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteStartObject("usage");
            var prompt = request.Body.Length / 4;
            var completion = Math.Max(1, (reply.Content?.Length ?? 0) / 4);
            writer.WriteNumber("prompt_tokens", prompt);
            writer.WriteNumber("completion_tokens", completion);
            writer.WriteNumber("total_tokens", prompt + completion);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        body.Position = 0;
        await body.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }
}
