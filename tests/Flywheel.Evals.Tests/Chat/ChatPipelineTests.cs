using System.Diagnostics;
using Flywheel.Evals.Chat;
using Flywheel.Evals.Suites;
using Flywheel.Evals.Tests.Support;
using Flywheel.Testing.ChatServer;
using Microsoft.Extensions.AI;

namespace Flywheel.Evals.Tests.Chat;

/// <summary>The middleware around the real OpenAI SDK, against a real HTTP server on 127.0.0.1.</summary>
public sealed class ChatPipelineTests : IAsyncLifetime
{
    private const string Key = "sk-pipeline-test-key";
    private readonly TempDirectory _directory = new();
    private ChatCompletionsServer _server = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await ChatCompletionsServer.StartAsync(Token);

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_429_with_Retry_After_in_seconds_is_retried_after_the_wait_the_server_asked()
    {
        await using var models = Access();
        var pipeline = models.Open("judge", Endpoint());
        _server.Enqueue(new ServerBehavior.Status(429, TimeSpan.FromSeconds(1)));
        var clock = Stopwatch.StartNew();

        var response = await pipeline.Client.GetResponseAsync("hello", cancellationToken: Token);

        Assert.Equal("Hello from the test server.", response.Text);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.95), $"retried after {clock.Elapsed}, before the 1 s Retry-After");
        Assert.Equal((2, 2L, 1L, 0L), (_server.RequestCount, pipeline.Stats.Requests, pipeline.Stats.Retries, pipeline.Stats.Failures));
    }

    [Fact]
    public async Task Retry_after_ms_is_honoured_over_the_backoff()
    {
        await using var models = Access(baseDelay: TimeSpan.FromMilliseconds(1));
        var pipeline = models.Open("judge", Endpoint());
        _server.Enqueue(new ServerBehavior.Status(429, TimeSpan.FromMilliseconds(400), InMilliseconds: true));
        var clock = Stopwatch.StartNew();

        await pipeline.Client.GetResponseAsync("hello", cancellationToken: Token);

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(380), $"retried after {clock.Elapsed}");
        Assert.Equal(2, _server.RequestCount);
    }

    [Fact]
    public async Task A_Retry_After_longer_than_the_longest_wait_fails_the_call_instead_of_stalling_the_run()
    {
        await using var models = Access(maxDelay: TimeSpan.FromSeconds(2));
        var pipeline = models.Open("judge", Endpoint());
        _server.Enqueue(new ServerBehavior.Status(429, TimeSpan.FromSeconds(3600)));

        var error = await Assert.ThrowsAsync<ModelCallException>(() => pipeline.Client.GetResponseAsync("hello", cancellationToken: Token));

        Assert.Contains("HTTP 429", error.Message, StringComparison.Ordinal);
        Assert.Contains("retry after 3600 s", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task Server_errors_are_retried_max_retries_times_then_fail_with_exact_counts()
    {
        await using var models = Access();
        var pipeline = models.Open("judge", Endpoint(maxRetries: 3));
        _server.Enqueue(Enumerable.Repeat<ServerBehavior>(new ServerBehavior.Status(500), 10).ToArray());

        var error = await Assert.ThrowsAsync<ModelCallException>(() => pipeline.Client.GetResponseAsync("hello", cancellationToken: Token));

        // The SDK's own retry policy is off: exactly 1 + 3 requests reach the server.
        Assert.Equal("HTTP 500 InternalServerError (gave up after 4 attempt(s))", error.Message);
        Assert.Equal((4, 4L, 3L, 1L), (_server.RequestCount, pipeline.Stats.Requests, pipeline.Stats.Retries, pipeline.Stats.Failures));
    }

    [Fact]
    public async Task A_client_error_is_not_retried()
    {
        await using var models = Access();
        var pipeline = models.Open("judge", Endpoint());
        _server.Enqueue(new ServerBehavior.Status(400));

        var error = await Assert.ThrowsAsync<ModelCallException>(() => pipeline.Client.GetResponseAsync("hello", cancellationToken: Token));

        Assert.StartsWith("HTTP 400", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task A_slow_answer_times_out_and_the_retry_gets_the_answer()
    {
        await using var models = Access();
        var pipeline = models.Open("judge", Endpoint(timeout: TimeSpan.FromMilliseconds(400)));
        _server.Enqueue(new ServerBehavior.Slow(TimeSpan.FromSeconds(5)));
        var clock = Stopwatch.StartNew();

        var response = await pipeline.Client.GetResponseAsync("hello", cancellationToken: Token);

        Assert.Equal("Hello from the test server.", response.Text);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}: the timeout did not cut the slow call");
        Assert.Equal((2, 1L), (_server.RequestCount, pipeline.Stats.Retries));
    }

    [Fact]
    public async Task Calls_that_keep_timing_out_fail_with_a_timeout_error()
    {
        await using var models = Access();
        var pipeline = models.Open("judge", Endpoint(timeout: TimeSpan.FromMilliseconds(200), maxRetries: 1));
        _server.Latency = TimeSpan.FromSeconds(5);

        var error = await Assert.ThrowsAsync<ModelCallException>(() => pipeline.Client.GetResponseAsync("hello", cancellationToken: Token));

        Assert.Equal("timed out: no answer within 200 ms (gave up after 2 attempt(s))", error.Message);
        Assert.Equal(2, _server.RequestCount);
    }

    [Fact]
    public async Task A_dropped_connection_is_retried()
    {
        await using var models = Access();
        var pipeline = models.Open("judge", Endpoint());
        _server.Enqueue(new ServerBehavior.Drop());

        var response = await pipeline.Client.GetResponseAsync("hello", cancellationToken: Token);

        Assert.Equal("Hello from the test server.", response.Text);
        Assert.Equal((2, 1L), (_server.RequestCount, pipeline.Stats.Retries));
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_an_error_of_the_call()
    {
        await using var models = Access();
        var pipeline = models.Open("judge", Endpoint());
        _server.Enqueue(new ServerBehavior.GarbageBody());

        var error = await Assert.ThrowsAsync<ModelCallException>(() => pipeline.Client.GetResponseAsync("hello", cancellationToken: Token));

        Assert.StartsWith("the endpoint's answer could not be read", error.Message, StringComparison.Ordinal);
        Assert.Equal(1L, pipeline.Stats.Failures);
    }

    [Fact]
    public async Task A_cached_request_makes_no_second_call_and_the_cache_file_holds_the_response_only()
    {
        await using (var models = Access())
        {
            var first = await models.Open("judge", Endpoint()).Client.GetResponseAsync("hello", cancellationToken: Token);
            Assert.Equal("Hello from the test server.", first.Text);
        }

        await using (var models = Access())
        {
            var pipeline = models.Open("judge", Endpoint());
            var second = await pipeline.Client.GetResponseAsync("hello", cancellationToken: Token);
            Assert.Equal("Hello from the test server.", second.Text);
            Assert.Equal((0L, 1L), (pipeline.Stats.Requests, pipeline.Stats.CacheHits));
        }

        Assert.Equal(1, _server.RequestCount);
        var file = Assert.Single(Directory.GetFiles(Path.Combine(_directory.Path, "cache"), "*", SearchOption.AllDirectories));
        var text = File.ReadAllText(file);
        Assert.Contains("Hello from the test server.", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"hello\"", text, StringComparison.Ordinal); // the request is not stored, only its hash names the file
    }

    [Fact]
    public async Task An_answer_the_cache_cannot_store_is_still_used_and_the_failure_is_counted()
    {
        _directory.Write("cache/chat", "a file where the cache folder should be");
        await using var models = Access();
        var pipeline = models.Open("judge", Endpoint());

        var response = await pipeline.Client.GetResponseAsync("hello", cancellationToken: Token);
        await models.FlushAsync();

        Assert.Equal("Hello from the test server.", response.Text);
        Assert.Equal(1L, pipeline.Stats.CacheWriteFailures);
    }

    [Fact]
    public async Task A_different_request_is_a_different_cache_entry()
    {
        await using var models = Access();
        var client = models.Open("judge", Endpoint()).Client;

        await client.GetResponseAsync("hello", new ChatOptions { Seed = 1 }, Token);
        await client.GetResponseAsync("hello", new ChatOptions { Seed = 2 }, Token);
        await client.GetResponseAsync("hello again", new ChatOptions { Seed = 1 }, Token);
        await client.GetResponseAsync("hello", new ChatOptions { Seed = 1 }, Token);

        Assert.Equal(3, _server.RequestCount);
    }

    [Fact]
    public async Task No_cache_calls_again_and_refreshes_the_entry()
    {
        await using (var models = Access())
        {
            await models.Open("judge", Endpoint()).Client.GetResponseAsync("hello", cancellationToken: Token);
        }

        await using (var models = Access(readCache: false))
        {
            var pipeline = models.Open("judge", Endpoint());
            await pipeline.Client.GetResponseAsync("hello", cancellationToken: Token);
            Assert.Equal((1L, 0L), (pipeline.Stats.Requests, pipeline.Stats.CacheHits));
        }

        Assert.Equal(2, _server.RequestCount);
    }

    [Fact]
    public async Task The_budget_refuses_requests_beyond_max_calls_and_counts_retries()
    {
        await using var models = Access(maxCalls: 3);
        var pipeline = models.Open("judge", Endpoint());
        _server.Enqueue(new ServerBehavior.Status(503));

        await pipeline.Client.GetResponseAsync("one", cancellationToken: Token); // 503 then success: 2 requests
        await pipeline.Client.GetResponseAsync("two", cancellationToken: Token); // 1 request: budget spent
        await Assert.ThrowsAsync<CallBudgetExhaustedException>(() => pipeline.Client.GetResponseAsync("three", cancellationToken: Token));
        var cached = await pipeline.Client.GetResponseAsync("one", cancellationToken: Token); // a cache hit costs nothing

        Assert.Equal("Hello from the test server.", cached.Text);
        Assert.Equal(3, _server.RequestCount);
        Assert.Equal((3, true), (models.Budget.Used, models.Budget.Exhausted));
    }

    [Fact]
    public async Task The_concurrency_gate_bounds_calls_in_flight_across_pipelines()
    {
        await using var models = Access(concurrency: 3);
        var judge = models.Open("judge", Endpoint()).Client;
        var target = models.Open("target", Endpoint()).Client;
        _server.Latency = TimeSpan.FromMilliseconds(150);

        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => (i % 2 == 0 ? judge : target).GetResponseAsync($"question {i}", cancellationToken: Token)));

        Assert.Equal(12, _server.RequestCount);
        Assert.Equal(3, _server.MaxInFlight);
    }

    private ModelAccess Access(int? maxCalls = null, int concurrency = 8, bool readCache = true, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null) => new(
        new ModelCallOptions
        {
            MaxCalls = maxCalls,
            Concurrency = concurrency,
            ReadCache = readCache,
            CacheDirectory = Path.Combine(_directory.Path, "cache"),
            RetryBaseDelay = baseDelay ?? TimeSpan.FromMilliseconds(20),
            MaxRetryDelay = maxDelay ?? TimeSpan.FromSeconds(60),
            Environment = name => name == "TEST_KEY" ? Key : null,
        },
        _directory.Path,
        TimeProvider.System);

    private ModelEndpointConfig Endpoint(TimeSpan? timeout = null, int maxRetries = 3) => new()
    {
        Endpoint = _server.Endpoint,
        Model = "m",
        ApiKeyEnv = "TEST_KEY",
        Timeout = timeout ?? TimeSpan.FromSeconds(30),
        MaxRetries = maxRetries,
    };
}
