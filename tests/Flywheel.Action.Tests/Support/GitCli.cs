using System.Diagnostics;

namespace Flywheel.Action.Tests.Support;

/// <summary>Runs the real git command line in a test's repository (no identity is configured; commits pass one per command).</summary>
internal static class GitCli
{
    /// <summary>git init, then one commit of everything in <paramref name="directory"/>.</summary>
    public static void CommitAll(string directory, string message)
    {
        Run(directory, "init", "-q");
        Run(directory, "add", "-A");
        Run(directory, "-c", "user.name=Dana", "-c", "user.email=dana@example.com", "commit", "-qm", message);
    }

    /// <summary>Runs git and returns its output; a failing git fails the test.</summary>
    public static string Run(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', args)}: {error.Result}");
        return output;
    }
}
