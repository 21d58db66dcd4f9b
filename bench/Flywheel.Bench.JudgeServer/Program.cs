using System.Globalization;
using System.Text.Json;
using Flywheel.Bench.JudgeServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// A judge for the judged side-by-side benchmark: POST /v1/chat/completions answers every request after exactly
// --latency-ms, so the ideal wall time of N judge calls at concurrency C is N × latency / C for any client.
//   flywheel-bench-judge-server [--port 0] [--latency-ms 200]
// The first line on stdout is the base URL to configure (…/v1). GET /stats reports the calls served, the most served at
// once (the concurrency the client really used) and the requests it did not recognise; POST /stats/reset zeroes them.
const string Usage = "usage: flywheel-bench-judge-server [--port N] [--latency-ms L]";
var port = 0;
var latencyMs = 200;
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 65535:
            port = p;
            i++;
            break;
        case "--latency-ms" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var l):
            latencyMs = l;
            i++;
            break;
        default:
            Console.Error.WriteLine($"flywheel-bench-judge-server: bad argument '{args[i]}'\n{Usage}");
            return 2;
    }
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
builder.Services.AddSingleton(new JudgeStats());
var app = builder.Build();
var latency = TimeSpan.FromMilliseconds(latencyMs);

app.MapPost("/v1/chat/completions", async (HttpContext context, JudgeStats stats) =>
{
    JsonDocument request;
    try
    {
        request = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
    }
    catch (JsonException ex)
    {
        return Results.BadRequest(new { error = new { message = $"request body is not JSON: {ex.Message}", type = "invalid_request_error" } });
    }

    using (request)
    {
        if (request.RootElement.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True)
        {
            return Results.BadRequest(new { error = new { message = "this bench server does not stream", type = "invalid_request_error" } });
        }

        using var call = stats.Begin();
        await Task.Delay(latency, context.RequestAborted);
        var reply = JudgeReplies.Reply(request.RootElement);
        if (!reply.Recognised)
        {
            stats.Unrecognised();
        }

        var model = request.RootElement.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : "bench-judge";
        return Results.Json(new
        {
            id = $"chatcmpl-bench-{call.Number}",
            @object = "chat.completion",
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            model,
            choices = new[] { new { index = 0, message = new { role = "assistant", content = reply.Content }, finish_reason = "stop" } },
            usage = new { prompt_tokens = 100, completion_tokens = 20, total_tokens = 120 },
        });
    }
});
app.MapGet("/stats", (JudgeStats stats) => Results.Json(stats.Snapshot()));
app.MapPost("/stats/reset", (JudgeStats stats) =>
{
    stats.Reset();
    return Results.Json(stats.Snapshot());
});

await app.StartAsync();
var address = app.Urls.First();
Console.WriteLine($"{address.TrimEnd('/')}/v1");
Console.Out.Flush();
await app.WaitForShutdownAsync();
return 0;
