namespace Flywheel.Tests.Shared;

/// <summary>Finds the repository (the folder holding Flywheel.sln) from the test's output folder.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Flywheel.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Flywheel.sln not found above " + AppContext.BaseDirectory);
    }
}
