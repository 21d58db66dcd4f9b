using Flywheel.Evals.Diagnostics;
using LibGit2Sharp;

namespace Flywheel.Evals.Git;

/// <summary>
/// The files a suite reads, taken from git's object database at a revision and written to a temporary folder —
/// no checkout, the work tree is never touched.
/// </summary>
public sealed class GitSnapshot : IDisposable
{
    private GitSnapshot(string root, string commit, string requested)
    {
        Root = root;
        Commit = commit;
        Requested = requested;
    }

    /// <summary>The temporary folder that mirrors the repository's layout for the exported paths.</summary>
    public string Root { get; }

    /// <summary>The commit the files were read at.</summary>
    public string Commit { get; }

    /// <summary>What the user asked for (a branch, tag or sha).</summary>
    public string Requested { get; }

    /// <summary>The commit to compare HEAD with: the merge base of HEAD and <paramref name="revision"/>, so a base branch that moved on does not count as our regression.</summary>
    /// <exception cref="FlywheelInputException">Outside git, or the revision (or its shared history with HEAD) is not in this clone.</exception>
    public static string ResolveMergeBase(string workTree, string revision)
    {
        using var repository = Open(workTree);
        var target = Lookup(repository, revision);
        var head = repository.Head?.Tip ?? throw Error(DiagnosticCodes.GitProblem, "HEAD has no commit yet");
        var mergeBase = repository.ObjectDatabase.FindMergeBase(head, target);
        if (mergeBase is null)
        {
            throw Error(DiagnosticCodes.RefNotFound,
                $"HEAD and '{revision}' share no history in this clone{(repository.Info.IsShallow ? " (it is shallow)" : string.Empty)}; fetch the full history: 'fetch-depth: 0' in actions/checkout, or 'git fetch --unshallow origin'");
        }

        return mergeBase.Sha;
    }

    /// <summary>Exports the given repository-relative files and folders as they are at <paramref name="commitSha"/>; paths absent there are skipped.</summary>
    public static GitSnapshot Export(string workTree, string commitSha, string requested, IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        using var repository = Open(workTree);
        var commit = repository.Lookup<Commit>(commitSha) ?? throw Error(DiagnosticCodes.RefNotFound, $"commit {commitSha} is not in this clone");
        var root = Directory.CreateTempSubdirectory("flywheel-at-" + commit.Sha[..8] + "-").FullName;
        try
        {
            foreach (var path in paths.Select(Normalize).Distinct(StringComparer.Ordinal))
            {
                var entry = commit[path];
                if (entry is null)
                {
                    continue;
                }

                ExportEntry(entry, path, root);
            }

            return new GitSnapshot(root, commit.Sha, requested);
        }
        catch
        {
            Directory.Delete(root, recursive: true);
            throw;
        }
    }

    /// <summary>Reads one file at a commit, or null when it does not exist there.</summary>
    public static string? ReadText(string workTree, string commitSha, string path)
    {
        using var repository = Open(workTree);
        var commit = repository.Lookup<Commit>(commitSha) ?? throw Error(DiagnosticCodes.RefNotFound, $"commit {commitSha} is not in this clone");
        return commit[Normalize(path)]?.Target is Blob blob ? blob.GetContentText() : null;
    }

    /// <summary>A repository-relative path for a full path inside the work tree.</summary>
    public static string Relative(string workTree, string fullPath) =>
        Path.GetRelativePath(Path.GetFullPath(workTree), Path.GetFullPath(fullPath)).Replace('\\', '/');

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    internal static Repository Open(string workTree)
    {
        var gitDir = GitDirectory.Discover(workTree) ?? throw Error(DiagnosticCodes.GitProblem, $"'{workTree}' is not inside a git repository");
        try
        {
            return new Repository(gitDir);
        }
        catch (LibGit2SharpException ex)
        {
            // A .git that is not a repository (an empty folder, a broken gitdir link, a corrupt HEAD): say so, never crash.
            throw Error(DiagnosticCodes.GitProblem, $"'{gitDir}' has a .git that git cannot open: {ex.Message}");
        }
    }

    internal static Commit Lookup(Repository repository, string revision)
    {
        GitObject? found;
        try
        {
            found = repository.Lookup(revision);
        }
        catch (LibGit2SharpException)
        {
            found = null;
        }

        var commit = found switch
        {
            Commit c => c,
            TagAnnotation tag => tag.Target as Commit,
            _ => null,
        };
        if (commit is null)
        {
            var shallow = repository.Info.IsShallow ? " This clone is shallow." : string.Empty;
            throw Error(DiagnosticCodes.RefNotFound,
                $"'{revision}' is not in this clone.{shallow} Fetch it: 'fetch-depth: 0' in actions/checkout, or 'git fetch origin {revision.Replace("origin/", string.Empty, StringComparison.Ordinal)}'");
        }

        return commit;
    }

    private static void ExportEntry(TreeEntry entry, string path, string root)
    {
        switch (entry.Target)
        {
            case Blob blob:
                var target = Path.Combine(root, path);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                using (var source = blob.GetContentStream())
                using (var file = File.Create(target))
                {
                    source.CopyTo(file);
                }

                break;
            case Tree tree:
                foreach (var child in tree)
                {
                    ExportEntry(child, path + "/" + child.Name, root);
                }

                break;
        }
    }

    private static string Normalize(string path) => path.Replace('\\', '/').Trim('/');

    private static FlywheelInputException Error(string code, string message) => new(new Diagnostic("git", 0, 0, code, message));
}
