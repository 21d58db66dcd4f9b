using System.Diagnostics;
using System.Text;

namespace Flywheel.Build.Tasks.Tests.Support;

/// <summary>A real <c>dotnet</c> child process (pack, build) with a clean MSBuild environment and its output captured.</summary>
internal sealed class DotnetProcess : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private DotnetProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>dotnet</c> with <paramref name="args"/>; with <paramref name="restoreSigint"/> it runs under <c>env --default-signal=INT</c>, so Ctrl+C reaches it even when this test process was started with SIGINT ignored (a background job).</summary>
    public static DotnetProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, IEnumerable<string> args, bool restoreSigint = false)
    {
        var start = new ProcessStartInfo(restoreSigint ? "env" : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        if (restoreSigint)
        {
            start.ArgumentList.Add("--default-signal=INT");
            start.ArgumentList.Add("dotnet");
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The test runs under `dotnet test`, whose MSBuild variables would steer the child build to the wrong SDK pieces.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var child = new DotnetProcess(process);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public static async Task<ProcessResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var child = Start(workingDirectory, environment, args);
        return await child.WaitAsync(Timeout);
    }

    public async Task<ProcessResult> WaitAsync(TimeSpan timeout)
    {
        using var expiry = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(expiry.Token, TestContext.Current.CancellationToken);
        try
        {
            await _process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet did not finish within {timeout.TotalSeconds:0}s\n{Output}");
        }

        // WaitForExitAsync returns after the redirected streams reach their end, so the output is complete.
        return new ProcessResult(_process.ExitCode, Output, _clock.Elapsed);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
