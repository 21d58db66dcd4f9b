using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Xunit;

/// <summary>Finds the repository root a suite path is relative to, from the test assembly's folder upwards.</summary>
internal static class SuiteLocation
{
    /// <summary>Run options for a suite path; FLYWHEEL_ROOT (if set) names the root, else the nearest folder above the test that holds the suite.</summary>
    public static RunOptions Options(string config, string? responses)
    {
        var root = Environment.GetEnvironmentVariable("FLYWHEEL_ROOT") is { Length: > 0 } explicitRoot
            ? ExplicitRoot(explicitRoot, config)
            : FindRoot(config, relativeRoot: null);
        return new RunOptions
        {
            Root = root,
            Config = Path.GetFullPath(config, root),
            Responses = responses is null ? null : Path.GetFullPath(responses, root),
        };
    }

    private static string ExplicitRoot(string explicitRoot, string config)
    {
        if (Path.IsPathRooted(explicitRoot))
        {
            return Path.GetFullPath(explicitRoot);
        }

        // The test host's working directory is its output folder, not where `dotnet test` was typed, so a relative
        // FLYWHEEL_ROOT ("bench/out/gen") is looked for the same way as the suite: in the folders above the test.
        var fromWorkingDirectory = Path.GetFullPath(explicitRoot);
        return File.Exists(Path.Combine(fromWorkingDirectory, config)) ? fromWorkingDirectory : FindRoot(config, explicitRoot);
    }

    private static string FindRoot(string config, string? relativeRoot)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = relativeRoot is null ? directory.FullName : Path.GetFullPath(relativeRoot, directory.FullName);
            if (File.Exists(Path.Combine(candidate, config)))
            {
                return candidate;
            }
        }

        throw relativeRoot is null
            ? new InvalidOperationException($"suite '{config}' not found in any folder above {AppContext.BaseDirectory}; set FLYWHEEL_ROOT")
            : new InvalidOperationException($"FLYWHEEL_ROOT '{relativeRoot}' holds no '{config}' relative to the working directory or any folder above {AppContext.BaseDirectory}; give an absolute path");
    }
}
