namespace Flywheel.Evals.Git;

/// <summary>Finds the repository that holds a folder, as <c>git rev-parse</c> does: the nearest ancestor with a <c>.git</c> entry, or a bare repository.</summary>
/// <remarks>
/// LibGit2Sharp's <c>Repository.Discover</c> reads libgit2's answer from a buffer that an ahead-of-time compiled program
/// never sees written back (libgit2/libgit2sharp#2187), so the published native <c>flywheel</c> found no repository at all.
/// Walking the folders needs no native call; libgit2 then opens what this finds (a <c>.git</c> file of a linked work tree
/// or submodule included). Unlike libgit2 (and git) it does not stop where another filesystem is mounted: .NET has no
/// portable device id to compare, and a folder on its own mount with no repository of its own under a repository's
/// folder is rare; there the outer repository is found.
/// </remarks>
internal static class GitDirectory
{
    /// <summary>The folder to open as the repository holding <paramref name="start"/>, or null outside git.</summary>
    public static string? Discover(string start)
    {
        for (var directory = new DirectoryInfo(Path.GetFullPath(start)); directory is not null; directory = directory.Parent)
        {
            var dotGit = Path.Join(directory.FullName, ".git");
            if (Directory.Exists(dotGit) || File.Exists(dotGit) || IsBare(directory.FullName))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    // libgit2's test for a repository folder: a HEAD file beside objects/ and refs/.
    private static bool IsBare(string directory) =>
        File.Exists(Path.Join(directory, "HEAD")) && Directory.Exists(Path.Join(directory, "objects")) && Directory.Exists(Path.Join(directory, "refs"));
}
