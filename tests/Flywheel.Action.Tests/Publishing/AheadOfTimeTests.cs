using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Flywheel.Action.Tests.Support;
using Flywheel.DevTools;

namespace Flywheel.Action.Tests.Publishing;

/// <summary>The ahead-of-time compiled flywheel (dotnet publish -p:PublishAot=true) behaves as the JIT-compiled one.</summary>
/// <remarks>
/// Reflection-heavy libraries (NJsonSchema, Newtonsoft.Json) and LibGit2Sharp's marshalling are where a native build
/// silently differs, so instead of a few spot checks this publishes the native binary and runs every command-line test
/// of this assembly (the EndToEnd and GitHub namespaces) against it, in a child test run.
/// </remarks>
public sealed class AheadOfTimeTests
{
    [Fact]
    public async Task The_native_build_passes_every_command_line_test()
    {
        Assert.SkipUnless(RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && RuntimeInformation.OSArchitecture == Architecture.X64,
            "the ahead-of-time build is published and tested for linux-x64");
        Assert.SkipWhen(Executables.FindOnPath("gcc", "clang") is null,
            "no gcc or clang on PATH: the ahead-of-time compiler needs one to link the native binary");
        Assert.SkipWhen(Environment.GetEnvironmentVariable(FlywheelProcess.NativeCliVariable) is { Length: > 0 },
            "this is the child run that tests the native build");

        var work = Directory.CreateTempSubdirectory("flywheel-aot-").FullName;
        try
        {
            var output = Path.Combine(work, "flywheel");
            var publish = await DotnetAsync(RepositoryRoot.Path, TimeSpan.FromMinutes(12), nativeCli: null,
                "publish", Path.Combine(RepositoryRoot.Path, "src", "Flywheel.Action"), "-c", "Release", "-r", "linux-x64",
                "-p:PublishAot=true", "--artifacts-path", Path.Combine(work, "artifacts"), "-o", output, "--nologo");
            Assert.True(publish.ExitCode == 0, "dotnet publish -p:PublishAot=true failed:\n" + publish);
            var native = Path.Combine(output, "flywheel");
            Assert.True(File.Exists(native), $"no native binary at {native}");
            Assert.False(File.Exists(Path.Combine(output, "flywheel.dll")), "an ahead-of-time build has no IL to run");

            var testAssembly = typeof(AheadOfTimeTests).Assembly.Location;
            var child = await DotnetAsync(AppContext.BaseDirectory, TimeSpan.FromMinutes(10), native, testAssembly, "-namespace", "Flywheel.Action.Tests.EndToEnd", "-namespace", "Flywheel.Action.Tests.GitHub", "-noLogo", "-noColor");

            var summary = Regex.Match(child.Stdout, @"Total: (\d+), Errors: (\d+), Failed: (\d+), Skipped: (\d+)");
            Assert.True(summary.Success, "the child test run printed no summary:\n" + child);
            Assert.True(int.Parse(summary.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 50, "too few command-line tests ran:\n" + child);
            Assert.True(child.ExitCode == 0 && summary.Groups[2].Value == "0" && summary.Groups[3].Value == "0", "command-line tests failed against the native build:\n" + child);
        }
        finally
        {
            TempFolder.DeleteQuietly(work);
        }
    }

    private static Task<ProcessResult> DotnetAsync(string workingDirectory, TimeSpan timeout, string? nativeCli, params string[] args)
    {
        var start = FlywheelProcess.StartInfo("dotnet", workingDirectory, args);
        if (nativeCli is not null)
        {
            start.Environment[FlywheelProcess.NativeCliVariable] = nativeCli;
        }

        return FlywheelProcess.RunToEndAsync(start, timeout);
    }
}
