namespace Flywheel.DevTools;

/// <summary>Finds programs the tests need (a browser, a C compiler) the way a shell does.</summary>
public static class Executables
{
    /// <summary>The first of <paramref name="names"/> found in a folder on PATH, as a full path; null when none is.</summary>
    public static string? FindOnPath(params string[] names)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var name in names)
        {
            foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
