using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flywheel.DevTools;

/// <summary>A browser tab: navigates, evaluates script, clicks and types like a user, and records errors and requests.</summary>
public sealed class DevToolsPage
{
    private readonly DevToolsConnection _connection;
    private readonly string _session;
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal DevToolsPage(DevToolsConnection connection, string session)
    {
        _connection = connection;
        _session = session;
        connection.Subscribe(session, OnEvent);
    }

    /// <summary>Uncaught exceptions, console.error/assert calls and browser log entries of level error (CSP violations among them).</summary>
    public IReadOnlyList<string> Errors => [.. _errors];

    /// <summary>The URL of every request the page made (the document itself included).</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>Loads a URL and waits for its load event.</summary>
    public async Task NavigateAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        _loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var result = await SendAsync("Page.navigate", new JsonObject { ["url"] = url.AbsoluteUri }, cancellationToken);
        if (result.TryGetProperty("errorText", out var error) && error.GetString() is { Length: > 0 } text)
        {
            throw new InvalidOperationException($"navigation to {url} failed: {text}");
        }

        await _loaded.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
    }

    /// <summary>Evaluates a JavaScript expression in the page and returns its value (promises awaited); a thrown error becomes an exception.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression, CancellationToken cancellationToken)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true }, cancellationToken);
        if (result.TryGetProperty("exceptionDetails", out var exception))
        {
            throw new InvalidOperationException($"script failed: {exception.GetRawText()}");
        }

        return result.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    /// <summary>Scrolls an element into view and clicks its centre with the mouse (pressed and released).</summary>
    public async Task ClickAsync(string selector, CancellationToken cancellationToken)
    {
        var box = await EvaluateAsync(
            $$"""(() => { const e = document.querySelector({{JsonSerializer.Serialize(selector)}}); if (!e) throw new Error('no element matches ' + {{JsonSerializer.Serialize(selector)}}); e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()""",
            cancellationToken);
        var x = box[0].GetDouble();
        var y = box[1].GetDouble();
        foreach (var type in new[] { "mouseMoved", "mousePressed", "mouseReleased" })
        {
            var mouse = new JsonObject { ["type"] = type, ["x"] = x, ["y"] = y };
            if (type != "mouseMoved")
            {
                mouse["button"] = "left";
                mouse["clickCount"] = 1;
            }

            await SendAsync("Input.dispatchMouseEvent", mouse, cancellationToken);
        }
    }

    /// <summary>Renders the page for a media type ("print" shows what a printer gets; "" restores the screen).</summary>
    public Task EmulateMediaAsync(string media, CancellationToken cancellationToken) =>
        SendAsync("Emulation.setEmulatedMedia", new JsonObject { ["media"] = media }, cancellationToken);

    /// <summary>Types text into the focused element as keyboard input (fires input events).</summary>
    public Task TypeAsync(string text, CancellationToken cancellationToken) =>
        SendAsync("Input.insertText", new JsonObject { ["text"] = text }, cancellationToken);

    /// <summary>A PNG of the whole page (or the viewport).</summary>
    /// <remarks>
    /// For the whole page the viewport is stretched to the page's height while capturing: content below the fold
    /// (content-visibility: auto, lazy rendering) is only painted when it is inside the viewport.
    /// </remarks>
    public async Task<byte[]> ScreenshotAsync(bool fullPage, CancellationToken cancellationToken)
    {
        if (!fullPage)
        {
            return await CaptureAsync(new JsonObject { ["format"] = "png" }, cancellationToken);
        }

        var metrics = await SendAsync("Page.getLayoutMetrics", null, cancellationToken);
        var viewport = metrics.GetProperty("cssLayoutViewport");
        var (width, height) = (viewport.GetProperty("clientWidth").GetInt32(), viewport.GetProperty("clientHeight").GetInt32());
        var content = metrics.GetProperty("cssContentSize");
        var fullHeight = (int)Math.Min(Math.Ceiling(content.GetProperty("height").GetDouble()), 16_000);
        await SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = fullHeight, ["deviceScaleFactor"] = 1, ["mobile"] = false }, cancellationToken);
        try
        {
            // Two animation frames: the resized viewport is laid out and painted before the capture.
            await EvaluateAsync("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))", cancellationToken);
            return await CaptureAsync(new JsonObject { ["format"] = "png" }, cancellationToken);
        }
        finally
        {
            await SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false }, cancellationToken);
        }
    }

    /// <summary>A PNG of one region of the page, in CSS pixels from the top of the document.</summary>
    public Task<byte[]> ScreenshotAsync(double x, double y, double width, double height, CancellationToken cancellationToken) =>
        CaptureAsync(
            new JsonObject
            {
                ["format"] = "png",
                ["captureBeyondViewport"] = true,
                ["clip"] = new JsonObject { ["x"] = x, ["y"] = y, ["width"] = width, ["height"] = height, ["scale"] = 1 },
            },
            cancellationToken);

    private async Task<byte[]> CaptureAsync(JsonObject parameters, CancellationToken cancellationToken)
    {
        var shot = await SendAsync("Page.captureScreenshot", parameters, cancellationToken);
        return Convert.FromBase64String(shot.GetProperty("data").GetString()!);
    }

    internal async Task StartAsync(int width, int height, CancellationToken cancellationToken)
    {
        foreach (var domain in new[] { "Runtime.enable", "Log.enable", "Network.enable", "Page.enable" })
        {
            await SendAsync(domain, null, cancellationToken);
        }

        await SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false }, cancellationToken);
    }

    private Task<JsonElement> SendAsync(string method, JsonObject? parameters, CancellationToken cancellationToken) =>
        _connection.SendAsync(method, parameters, _session, cancellationToken);

    private void OnEvent(string method, JsonElement parameters)
    {
        switch (method)
        {
            case "Page.loadEventFired":
                _loaded.TrySetResult();
                break;
            case "Network.requestWillBeSent":
                _requests.Enqueue(parameters.GetProperty("request").GetProperty("url").GetString() ?? string.Empty);
                break;
            case "Runtime.exceptionThrown":
                var details = parameters.GetProperty("exceptionDetails");
                var description = details.TryGetProperty("exception", out var exception) && exception.TryGetProperty("description", out var d) ? d.GetString() : null;
                _errors.Enqueue($"exception: {description ?? details.GetProperty("text").GetString()}");
                break;
            case "Runtime.consoleAPICalled":
                var kind = parameters.GetProperty("type").GetString();
                if (kind is "error" or "assert")
                {
                    var args = parameters.GetProperty("args").EnumerateArray()
                        .Select(a => a.TryGetProperty("value", out var v) ? v.ToString() : a.TryGetProperty("description", out var ds) ? ds.GetString() : a.GetRawText());
                    _errors.Enqueue($"console.{kind}: {string.Join(' ', args)}");
                }

                break;
            case "Log.entryAdded":
                var entry = parameters.GetProperty("entry");
                if (entry.GetProperty("level").GetString() == "error")
                {
                    var url = entry.TryGetProperty("url", out var u) ? $" ({u.GetString()})" : string.Empty;
                    _errors.Enqueue(string.Create(CultureInfo.InvariantCulture, $"log {entry.GetProperty("source").GetString()}: {entry.GetProperty("text").GetString()}{url}"));
                }

                break;
        }
    }
}
