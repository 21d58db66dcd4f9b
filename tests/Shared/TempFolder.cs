namespace Flywheel.Tests.Shared;

/// <summary>Removes a test's temporary folder, including the read-only files git writes under .git/objects.</summary>
internal static class TempFolder
{
    public static void DeleteQuietly(string root)
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }

            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a test that passed.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
