using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Xunit;

/// <summary>Finds the repository root a suite path is relative to, from the test assembly's folder upwards.</summary>
internal static class SuiteLocation
{
    /// <summary>Run options for a suite path; FLYWHEEL_ROOT (if set) names the root, else the nearest folder above the test that holds the suite.</summary>
    public static RunOptions Options(string config, string? responses)
    {
        var root = Environment.GetEnvironmentVariable("FLYWHEEL_ROOT") is { Length: > 0 } explicitRoot
            ? Path.GetFullPath(explicitRoot)
            : FindRoot(config);
        return new RunOptions
        {
            Root = root,
            Config = Path.GetFullPath(config, root),
            Responses = responses is null ? null : Path.GetFullPath(responses, root),
        };
    }

    private static string FindRoot(string config)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, config)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"suite '{config}' not found in any folder above {AppContext.BaseDirectory}; set FLYWHEEL_ROOT");
    }
}
