using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Flywheel.DevTools;

/// <summary>A headless Chromium this process started, with a DevTools connection; disposing it ends that process and deletes its profile.</summary>
public sealed partial class Chromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly StringBuilder _log;

    private Chromium(Process process, string profile, StringBuilder log, DevToolsConnection connection)
    {
        _process = process;
        _profile = profile;
        _log = log;
        Connection = connection;
    }

    /// <summary>The browser-level DevTools connection.</summary>
    public DevToolsConnection Connection { get; }

    /// <summary>What the browser printed on stderr (for a failing test's message).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The Chromium executable: <c>FLYWHEEL_CHROMIUM</c> if set, else <c>chromium</c> or <c>chromium-browser</c> on PATH; null when there is none.</summary>
    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable("FLYWHEEL_CHROMIUM") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : null;
        }

        return Executables.FindOnPath("chromium", "chromium-browser");
    }

    /// <summary>Starts Chromium headless on a free port with a throw-away profile and connects to it.</summary>
    public static async Task<Chromium> LaunchAsync(string executable, CancellationToken cancellationToken)
    {
        var profile = Directory.CreateTempSubdirectory("flywheel-chromium-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0", $"--user-data-dir={profile}",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-default-apps", "--mute-audio", "--hide-scrollbars", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        var log = new StringBuilder();
        var endpoint = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                endpoint.TrySetException(new InvalidOperationException("Chromium exited before it listened for DevTools"));
                return;
            }

            lock (log)
            {
                if (log.Length < 64 * 1024)
                {
                    log.AppendLine(e.Data);
                }
            }

            if (Listening().Match(e.Data) is { Success: true } match)
            {
                endpoint.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var uri = await endpoint.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            var connection = await DevToolsConnection.ConnectAsync(uri, cancellationToken);
            return new Chromium(process, profile, log, connection);
        }
        catch (Exception ex)
        {
            Stop(process);
            TryDelete(profile);
            string text;
            lock (log)
            {
                text = log.ToString();
            }

            throw new InvalidOperationException($"Chromium did not start: {ex.Message}\n{text}", ex);
        }
    }

    /// <summary>Opens a new tab of the given viewport size and attaches to it.</summary>
    public async Task<DevToolsPage> NewPageAsync(int width, int height, CancellationToken cancellationToken)
    {
        var target = await Connection.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, null, cancellationToken);
        var attached = await Connection.SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target.GetProperty("targetId").GetString(), ["flatten"] = true }, null, cancellationToken);
        var page = new DevToolsPage(Connection, attached.GetProperty("sessionId").GetString()!);
        await page.StartAsync(width, height, cancellationToken);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await Connection.SendAsync("Browser.close", null, null, timeout.Token);
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            // Closing politely failed; it is stopped below.
        }

        await Connection.DisposeAsync();
        Stop(_process);
        _process.Dispose();
        TryDelete(_profile);
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex Listening();
}
