using System.Diagnostics;

namespace Flywheel.Action.Tests.Support;

/// <summary>
/// Runs the root-only tools the output tests need (chattr, mount); a test that cannot run one fails on CI, where the
/// container runs as root and allows them, and skips, saying why, elsewhere.
/// </summary>
internal static class RootRequirement
{
    /// <summary>Runs <paramref name="tool"/>; when it fails, the test fails on CI and is skipped elsewhere.</summary>
    public static void Run(string tool, params string[] args)
    {
        if (!OperatingSystem.IsLinux())
        {
            Unavailable($"{tool} is a Linux tool");
        }

        if (TryRun(tool, args) is { } failure)
        {
            Unavailable($"'{tool} {string.Join(' ', args)}' is not permitted here ({failure}); run the tests as root in a container that allows it");
        }
    }

    /// <summary>Runs <paramref name="tool"/>; null when it succeeded, else why not.</summary>
    public static string? TryRun(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : $"exit {process.ExitCode}: {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return ex.Message;
        }
    }

    private static void Unavailable(string reason)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"CI=true but {reason}: the output tests must prove read-only and full folders on CI");
        }

        Assert.Skip(reason);
    }
}
