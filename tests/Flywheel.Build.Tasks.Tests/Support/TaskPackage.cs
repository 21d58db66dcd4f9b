using System.Reflection;

namespace Flywheel.Build.Tasks.Tests.Support;

/// <summary>
/// Flywheel.Build.Tasks packed (real <c>dotnet pack</c>) into a local folder feed under a version no cache has seen,
/// with its own NuGet packages folder, so every consumer restores exactly this build of the tasks.
/// </summary>
public sealed class TaskPackage : IAsyncLifetime
{
    public TaskPackage()
    {
        Root = Directory.CreateTempSubdirectory("flywheel-msbuild-").FullName;
        Feed = Path.Combine(Root, "feed");
        Packages = Path.Combine(Root, "packages");
        Version = "0.0.0-test." + Guid.NewGuid().ToString("N")[..12];
    }

    /// <summary>The temporary folder holding the feed, the packages folder and every consumer.</summary>
    public string Root { get; }

    public string Feed { get; }

    public string Packages { get; }

    public string Version { get; }

    public string PackagePath => Path.Combine(Feed, $"Flywheel.Build.Tasks.{Version}.nupkg");

    public TimeSpan PackDuration { get; private set; }

    /// <summary>The environment every consumer build runs with: the isolated packages folder.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>(StringComparer.Ordinal) { ["NUGET_PACKAGES"] = Packages };

    public async ValueTask InitializeAsync()
    {
        // The test project's build has just built the tasks project (a ProjectReference), so packing reuses that output.
        var configuration = typeof(TaskPackage).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;
        var project = Path.Combine(RepositoryRoot.Path, "src", "Flywheel.Build.Tasks", "Flywheel.Build.Tasks.csproj");
        var result = await DotnetProcess.RunAsync(Root, Environment,
            "pack", project, "--no-build", "-c", configuration, "-o", Feed, $"-p:Version={Version}", $"-p:NuspecOutputPath={Path.Combine(Root, "nuspec")}/", "-nodeReuse:false", "--disable-build-servers", "-tl:off");
        if (result.ExitCode != 0 || !File.Exists(PackagePath))
        {
            throw new InvalidOperationException($"dotnet pack did not produce {PackagePath}\n{result}");
        }

        PackDuration = result.Duration;
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return ValueTask.CompletedTask;
    }
}
