using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Files;
using Flywheel.Evals.Git;
using LibGit2Sharp;
using Diagnostic = Flywheel.Evals.Diagnostics.Diagnostic;

namespace Flywheel.Evals.Promotion;

/// <summary>
/// The git side of <c>promote --commit</c>: checks the repository before anything is written, then commits only the
/// promotion's change on a new branch and moves HEAD there, as <c>git switch -c</c> would, without a checkout.
/// </summary>
/// <remarks>
/// The commit is built from HEAD's tree with only the promoted files replaced (HEAD's blob plus the row, never the work
/// tree's or the index's content), so the user's uncommitted and staged edits stay exactly that: the index keeps what was
/// staged (with the row added when the file had staged edits), the work tree keeps every edit.
/// </remarks>
internal sealed class PromotionRepository : IDisposable
{
    private readonly Repository _repository;

    private PromotionRepository(Repository repository) => _repository = repository;

    /// <summary>The lock that serializes promotions that commit in this repository (in its git folder, as git's own locks).</summary>
    public string LockPath => Path.Combine(_repository.Info.Path, "flywheel-promote.lock");

    /// <summary>Opens the repository holding <paramref name="root"/>.</summary>
    /// <exception cref="FlywheelInputException">Outside git, or a bare repository (FW4003).</exception>
    public static PromotionRepository Open(string root)
    {
        var repository = Guard(() => GitSnapshot.Open(root));
        if (repository.Info.IsBare || repository.Info.WorkingDirectory is null)
        {
            repository.Dispose();
            throw Error("the repository is bare: --commit needs a work tree");
        }

        return new PromotionRepository(repository);
    }

    /// <summary>Checks that a commit on <paramref name="branch"/> can be made now: HEAD has a commit, no merge or rebase is under way, the branch name is valid and free, an identity is configured.</summary>
    /// <exception cref="FlywheelInputException">It cannot (FW4003).</exception>
    public void CheckCanCommit(string branch, DateTimeOffset when)
    {
        Guard(() =>
        {
            var info = _repository.Info;
            if (info.IsHeadUnborn)
            {
                throw Error("the repository has no commits yet: commit the dataset first, then promote with --commit");
            }

            if (info.CurrentOperation != CurrentOperation.None)
            {
                throw Error($"a {Describe(info.CurrentOperation)} is in progress: finish or abort it before promoting with --commit");
            }

            if (_repository.Index.Conflicts.Any())
            {
                throw Error("the index has unresolved conflicts: resolve them before promoting with --commit");
            }

            if (File.Exists(Path.Combine(info.Path, "index.lock")))
            {
                throw Error("another git command is running (.git/index.lock exists); if none is, delete that file, then promote again");
            }

            if (!Reference.IsValidName("refs/heads/" + branch))
            {
                throw Error($"'{branch}' is not a valid branch name; pass --branch with another");
            }

            if (_repository.Branches[branch] is not null)
            {
                throw Error($"branch '{branch}' exists; pass --branch with a new name");
            }

            if (GitIdentity.Signature(_repository, when) is null)
            {
                throw Error("git has no user.name/user.email configured; set them (git config user.name ...) to commit the promotion");
            }
        });
    }

    /// <summary>The file at <paramref name="fullPath"/> as HEAD and the index have it.</summary>
    /// <exception cref="FlywheelInputException">It is outside the work tree, not committed at HEAD, not a regular file there, or staged for deletion.</exception>
    public TrackedFile Read(string fullPath, string display) => Guard(() =>
    {
        var relative = GitSnapshot.Relative(_repository.Info.WorkingDirectory, fullPath);
        if (relative.StartsWith("../", StringComparison.Ordinal) || relative == ".." || Path.IsPathRooted(relative))
        {
            throw Error($"{display} is outside the repository's work tree ({_repository.Info.WorkingDirectory}): --commit cannot commit it");
        }

        var entry = _repository.Head.Tip[relative];
        if (entry is null)
        {
            throw Error($"{display} is not committed at HEAD: commit the dataset first, then promote with --commit");
        }

        if (entry.Target is not Blob head || entry.Mode is not (Mode.NonExecutableFile or Mode.ExecutableFile))
        {
            throw Error($"{display} is not a regular file at HEAD ({entry.Mode}): --commit cannot add a row to it");
        }

        var staged = _repository.Index[relative];
        if (staged is null)
        {
            throw new FlywheelInputException(new Diagnostic(display, 0, 0, DiagnosticCodes.UncommittedEditsInTheWay,
                "the file is staged for deletion (git rm --cached); unstage that before promoting with --commit"));
        }

        var index = staged.Id == head.Id ? null : _repository.Lookup<Blob>(staged.Id);
        var edited = _repository.RetrieveStatus(relative) is not (FileStatus.Unaltered or FileStatus.Ignored);
        return new TrackedFile(fullPath, relative, display, Content(head), entry.Mode, index is null ? null : Content(index), staged.Mode, staged.Id, edited);
    });

    /// <summary>
    /// Commits <paramref name="files"/> on a new <paramref name="branch"/> whose parent is HEAD, writes the work tree's
    /// files, stages the committed content (or, for a file with staged edits, those edits plus the change), and moves HEAD
    /// to the branch; a step that fails undoes the ones before it.
    /// </summary>
    /// <returns>The new commit's sha.</returns>
    /// <exception cref="FlywheelInputException">A step failed; the work tree, index, HEAD and branches are as before (FW4003, or FW8001 for a file that cannot be written).</exception>
    public async Task<string> CommitAsync(IReadOnlyList<PromotedFile> files, string branch, string message, DateTimeOffset when, CancellationToken cancellationToken)
    {
        var head = _repository.Head;
        var previous = _repository.Info.IsHeadDetached ? head.Tip.Sha : head.FriendlyName;
        var commit = Guard(() =>
        {
            var signature = GitIdentity.Signature(_repository, when)!;
            var tree = TreeDefinition.From(head.Tip.Tree);
            foreach (var file in files)
            {
                tree.Add(file.Tracked.Relative, Blob(file.Committed), file.Tracked.HeadMode);
            }

            var created = _repository.ObjectDatabase.CreateCommit(signature, signature, message, _repository.ObjectDatabase.CreateTree(tree), [head.Tip], prettifyMessage: false);
            _repository.Refs.Add("refs/heads/" + branch, created.Id, "commit: " + message.Split('\n')[0], allowOverwrite: false);
            return created;
        });

        try
        {
            // Once the files are replaced, nothing may stop half way: the rest runs to its end (or is undone) regardless.
            await AtomicFile.WriteAllBytesAsync(files.Select(f => (f.Tracked.FullPath, (ReadOnlyMemory<byte>)f.WorkTree)).ToList(), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Undo(() => _repository.Refs.Remove("refs/heads/" + branch));
            throw;
        }

        try
        {
            Guard(() =>
            {
                foreach (var file in files)
                {
                    // The index's own mode: a staged mode change stays staged too.
                    _repository.Index.Add(Blob(file.Staged ?? file.Committed), file.Tracked.Relative, file.Tracked.IndexMode);
                }

                _repository.Index.Write();
                _repository.Refs.UpdateTarget("HEAD", "refs/heads/" + branch, $"checkout: moving from {previous} to {branch}");
            });
        }
        catch
        {
            Undo(() =>
            {
                foreach (var file in files)
                {
                    _repository.Index.Add(_repository.Lookup<Blob>(file.Tracked.IndexId), file.Tracked.Relative, file.Tracked.IndexMode);
                }

                _repository.Index.Write();
            });
            Undo(() => AtomicFile.WriteAllBytesAsync(files.Select(f => (f.Tracked.FullPath, (ReadOnlyMemory<byte>)f.WorkTreeBefore)).ToList(), CancellationToken.None).GetAwaiter().GetResult());
            Undo(() => _repository.Refs.Remove("refs/heads/" + branch));
            throw;
        }

        return commit.Sha;
    }

    /// <inheritdoc />
    public void Dispose() => _repository.Dispose();

    private Blob Blob(byte[] content) => _repository.Lookup<Blob>(_repository.ObjectDatabase.Write<Blob>(content));

    private static byte[] Content(Blob blob)
    {
        using var stream = blob.GetContentStream();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string Describe(CurrentOperation operation) => operation switch
    {
        CurrentOperation.Merge => "merge",
        CurrentOperation.Revert or CurrentOperation.RevertSequence => "revert",
        CurrentOperation.CherryPick or CurrentOperation.CherryPickSequence => "cherry-pick",
        CurrentOperation.Bisect => "bisect",
        CurrentOperation.ApplyMailbox or CurrentOperation.ApplyMailboxOrRebase => "git am",
        _ => "rebase",
    };

    // An undo that fails must not hide the failure being undone.
    private static void Undo(Action step)
    {
        try
        {
            step();
        }
        catch (Exception ex) when (ex is LibGit2SharpException or IOException or UnauthorizedAccessException or FlywheelInputException)
        {
            // The original error is reported; what is left is a branch, an index entry or a file git status shows.
        }
    }

    // LibGit2Sharp reports every git failure (locked index, missing object, corrupt repository) as its own exception: a diagnostic, never a crash.
    private static T Guard<T>(Func<T> step)
    {
        try
        {
            return step();
        }
        catch (LibGit2SharpException ex)
        {
            throw Error(ex.Message);
        }
    }

    private static void Guard(Action step) => Guard(() =>
    {
        step();
        return true;
    });

    private static FlywheelInputException Error(string message) => new(new Diagnostic("git", 0, 0, DiagnosticCodes.GitProblem, message));
}
