using Flywheel.Evals.Git;
using Flywheel.Evals.Tests.Support;
using Flywheel.Tests.Shared;
using LibGit2Sharp;

namespace Flywheel.Evals.Tests.Git;

public sealed class GitDirectoryTests
{
    [Fact]
    public void A_folder_deep_in_a_work_tree_opens_the_repository_libgit2_discovers_and_its_commit()
    {
        using var repo = new TempRepository();
        repo.Write("datasets/demo/sub/rows.jsonl", "{}\n");
        var sha = repo.Commit("one");
        var deep = repo.PathOf("datasets/demo/sub");

        Assert.Equal(OpenedBy(Repository.Discover(deep)), OpenedBy(GitDirectory.Discover(deep)));
        Assert.Equal(Path.GetFullPath(repo.Root), GitInfo.FindWorkTree(deep)?.TrimEnd('/'));
        Assert.Equal(sha, GitInfo.Commit(repo.Root, [deep]));
    }

    [Fact]
    public void A_linked_work_tree_whose_git_entry_is_a_file_reports_its_own_head()
    {
        using var repo = new TempRepository();
        repo.Write("a.txt", "a\n");
        var first = repo.Commit("one");
        repo.Write("a.txt", "b\n");
        repo.Commit("two");
        var linked = Path.Join(Directory.CreateTempSubdirectory("flywheel-worktree-").FullName, "wt");
        try
        {
            using (var repository = new Repository(repo.Root))
            {
                repository.Branches.Add("old", first);
                repository.Worktrees.Add("old", "wt", linked, isLocked: false);
            }

            Assert.True(File.Exists(Path.Join(linked, ".git")), "a linked work tree has a .git file, not a folder");
            Assert.Equal(OpenedBy(Repository.Discover(linked)), OpenedBy(GitDirectory.Discover(linked)));
            Assert.Equal(Path.GetFullPath(linked), GitInfo.FindWorkTree(linked)?.TrimEnd('/'));
            Assert.Equal(first, GitInfo.Commit(linked, [linked]));
        }
        finally
        {
            TempFolder.DeleteQuietly(Path.GetDirectoryName(linked)!);
        }
    }

    [Fact]
    public void A_bare_repository_is_found_but_has_no_work_tree_or_commit_to_report()
    {
        var bare = Directory.CreateTempSubdirectory("flywheel-bare-").FullName;
        try
        {
            Repository.Init(bare, isBare: true);

            Assert.Equal(OpenedBy(Repository.Discover(bare)), OpenedBy(GitDirectory.Discover(bare)));
            Assert.Null(GitInfo.FindWorkTree(bare));
            Assert.Null(GitInfo.Commit(bare, []));
        }
        finally
        {
            TempFolder.DeleteQuietly(bare);
        }
    }

    [Fact]
    public void A_folder_outside_any_repository_has_none()
    {
        var folder = Directory.CreateTempSubdirectory("flywheel-nogit-").FullName;
        try
        {
            Assert.Null(Repository.Discover(folder));
            Assert.Null(GitDirectory.Discover(folder));
            Assert.Null(GitInfo.FindWorkTree(folder));
        }
        finally
        {
            TempFolder.DeleteQuietly(folder);
        }
    }

    private static string? OpenedBy(string? path)
    {
        if (path is null)
        {
            return null;
        }

        using var repository = new Repository(path);
        return Path.GetFullPath(repository.Info.Path);
    }
}
