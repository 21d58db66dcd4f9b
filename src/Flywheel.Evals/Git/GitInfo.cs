using LibGit2Sharp;

namespace Flywheel.Evals.Git;

/// <summary>What git says about the folder a run reads: the work tree root, the HEAD commit, whether paths are modified.</summary>
public static class GitInfo
{
    /// <summary>The work tree that holds <paramref name="directory"/>, or null outside a repository.</summary>
    public static string? FindWorkTree(string directory)
    {
        var gitDir = GitDirectory.Discover(directory);
        if (gitDir is null)
        {
            return null;
        }

        using var repository = new Repository(gitDir);
        return repository.Info.IsBare ? null : Path.GetFullPath(repository.Info.WorkingDirectory);
    }

    /// <summary>The HEAD commit of the repository holding <paramref name="root"/> with <c>+dirty</c> when any of <paramref name="paths"/> differs from it; null outside git or before the first commit.</summary>
    public static string? Commit(string root, IEnumerable<string> paths)
    {
        var gitDir = GitDirectory.Discover(root);
        if (gitDir is null)
        {
            return null;
        }

        using var repository = new Repository(gitDir);
        var sha = repository.Head?.Tip?.Sha;
        if (sha is null || repository.Info.IsBare)
        {
            return null;
        }

        var workTree = Path.GetFullPath(repository.Info.WorkingDirectory);
        var specs = paths.Select(p => Path.GetRelativePath(workTree, Path.GetFullPath(p, root)).Replace('\\', '/'))
            .Where(p => !p.StartsWith("..", StringComparison.Ordinal))
            .ToArray();
        if (specs.Length == 0)
        {
            return sha;
        }

        var status = repository.RetrieveStatus(new StatusOptions { PathSpec = specs, IncludeUntracked = true, IncludeIgnored = false });
        return status.IsDirty ? sha + "+dirty" : sha;
    }
}
