using System.Diagnostics;
using System.Text;

namespace Flywheel.Action.Tests.Support;

/// <summary>Starts the real flywheel command line (the built flywheel.dll, or the native build named by FLYWHEEL_TEST_CLI) as a child process.</summary>
internal static class FlywheelProcess
{
    /// <summary>Names an ahead-of-time compiled flywheel executable to run instead of the built flywheel.dll (set by AheadOfTimeTests).</summary>
    public const string NativeCliVariable = "FLYWHEEL_TEST_CLI";

    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "cli", "flywheel.dll");

    private static string? NativeCli => Environment.GetEnvironmentVariable(NativeCliVariable) is { Length: > 0 } path ? path : null;

    public static Task<ProcessResult> RunAsync(string workingDirectory, params string[] args) =>
        RunAsync(workingDirectory, new Dictionary<string, string?>(), args);

    /// <summary>Runs with <paramref name="environment"/> as the only runner context: inherited GITHUB_*, INPUT_*, RUNNER_* and API-key variables are dropped, so a test behaves the same inside GitHub Actions; a null value leaves the variable unset.</summary>
    public static Task<ProcessResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        RunToEndAsync(CliStartInfo(workingDirectory, environment, args), TimeSpan.FromMinutes(2));

    /// <summary>Starts the command line without waiting for it, output and errors captured (for tests that kill it or run several at once).</summary>
    public static Process Start(string workingDirectory, params string[] args) =>
        Process.Start(CliStartInfo(workingDirectory, new Dictionary<string, string?>(), args))!;

    private static ProcessStartInfo CliStartInfo(string workingDirectory, IReadOnlyDictionary<string, string?> environment, string[] args)
    {
        var start = NativeCli is { } native ? StartInfo(native, workingDirectory, args) : StartInfo("dotnet", workingDirectory, [DllPath, .. args]);
        foreach (var key in start.Environment.Keys.Where(IsRunnerContext).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        return start;
    }

    /// <summary>How to start <paramref name="fileName"/> with <paramref name="args"/>: output and errors captured as UTF-8, .NET telemetry off.</summary>
    public static ProcessStartInfo StartInfo(string fileName, string workingDirectory, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return start;
    }

    /// <summary>Runs a started process's command to its end, collecting its output; killed (with its children) on timeout or when the test is cancelled.</summary>
    public static async Task<ProcessResult> RunToEndAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        linked.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    private static bool IsRunnerContext(string key) =>
        key.StartsWith("GITHUB_", StringComparison.Ordinal) || key.StartsWith("INPUT_", StringComparison.Ordinal)
        || key.StartsWith("RUNNER_", StringComparison.Ordinal) || key.StartsWith("ACTIONS_", StringComparison.Ordinal)
        || key.EndsWith("_API_KEY", StringComparison.Ordinal);
}

internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
