using System.Security.Cryptography;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Files;
using Flywheel.Evals.Promotion;
using Flywheel.Evals.Tests.Support;
using LibGit2Sharp;

namespace Flywheel.Evals.Tests.Promotion;

/// <summary>promote --commit against real repositories: only the promotion's change is committed, the user's edits stay theirs, and a refusal writes nothing.</summary>
public sealed class PromoterCommitTests
{
    private const string Trace = """
        {"trace_id":"5ce0aa17e3c94c0fb6e1a2b3c4d5e6f7","type":"tags","tags":{"intent":"pay","locale":"en-US"}}
        {"trace_id":"5ce0aa17e3c94c0fb6e1a2b3c4d5e6f7","type":"message","role":"user","content":"Which documents do I need to close my mortgage early?"}
        {"trace_id":"5ce0aa17e3c94c0fb6e1a2b3c4d5e6f7","type":"response","content":"Bring your ID."}
        """;

    // A row the user added by hand and has not committed; it sorts right after the promoted row (pay-5ce0aa17).
    private const string UserRow = """{"id":"pay-9000","tags":{"intent":"pay","locale":"en-US"},"input":[{"role":"user","content":"Can I skip a payment in December?"}]}""";

    private const string Rows = "datasets/demo/rows.jsonl";
    private const string Manifest = "datasets/demo/dataset.json";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_unstaged_edit_of_rows_jsonl_stays_unstaged_and_out_of_the_commit_which_holds_heads_rows_plus_the_row()
    {
        using var repo = Base();
        var headRows = repo.Read(Rows);
        InsertUserRow(repo);
        repo.Write("responses.jsonl", repo.Read("responses.jsonl") + "\n");
        var workBefore = repo.Read(Rows);

        var result = await Promoter.PromoteAsync(Request(repo), Token);

        var workAfter = repo.Read(Rows);
        var promotedLine = Lines(workAfter).Single(l => l.Contains(result.Id, StringComparison.Ordinal));
        Assert.Equal(Lines(workBefore), Lines(workAfter).Where(l => l != promotedLine));
        using var repository = new Repository(repo.Root);
        var commit = repository.Head.Tip;
        var committedRows = Blob(commit, Rows);
        Assert.Equal(Lines(headRows), Lines(committedRows).Where(l => l != promotedLine));
        Assert.Contains(promotedLine, Lines(committedRows));
        Assert.DoesNotContain("pay-9000", committedRows, StringComparison.Ordinal);
        Assert.Equal(commit[Rows].Target.Id, repository.Index[Rows].Id);
        Assert.Equal(FileStatus.ModifiedInWorkdir, repository.RetrieveStatus(Rows));
        Assert.Equal(FileStatus.ModifiedInWorkdir, repository.RetrieveStatus("responses.jsonl"));
        Assert.Equal(FileStatus.Unaltered, repository.RetrieveStatus(Manifest));
        Assert.Equal([Manifest, Rows], ChangedPaths(repository, commit));
        Assert.Equal([Rows], result.KeptUncommitted);
        Assert.Equal(("flywheel/promote/" + result.Id, result.CommitSha), (repository.Head.FriendlyName, commit.Sha));
    }

    [Fact]
    public async Task A_staged_edit_stays_staged_with_the_row_added_and_other_staged_files_stay_out_of_the_commit()
    {
        using var repo = Base();
        var headRows = repo.Read(Rows);
        InsertUserRow(repo);
        repo.Write("README.md", "staged, not promoted\n");
        using (var repository = new Repository(repo.Root))
        {
            Commands.Stage(repository, [Rows, "README.md"]);
        }

        var result = await Promoter.PromoteAsync(Request(repo), Token);

        using (var repository = new Repository(repo.Root))
        {
            var commit = repository.Head.Tip;
            Assert.Equal([Manifest, Rows], ChangedPaths(repository, commit));
            Assert.Equal(Lines(headRows), Lines(Blob(commit, Rows)).Where(l => !l.Contains(result.Id, StringComparison.Ordinal)));
            var staged = repository.Lookup<Blob>(repository.Index[Rows].Id).GetContentText();
            Assert.Equal(repo.Read(Rows), staged);
            Assert.Contains("pay-9000", staged, StringComparison.Ordinal);
            Assert.Equal(FileStatus.ModifiedInIndex, repository.RetrieveStatus(Rows));
            Assert.Equal(FileStatus.ModifiedInIndex, repository.RetrieveStatus("README.md"));
        }
    }

    [Fact]
    public async Task An_uncommitted_edit_elsewhere_in_dataset_json_is_kept_out_of_the_commit()
    {
        using var repo = Base();
        var headManifest = repo.Read(Manifest);
        repo.Write(Manifest, headManifest.Replace("\"locale\"]", "\"locale\",\"channel\"]", StringComparison.Ordinal));

        await Promoter.PromoteAsync(Request(repo), Token);

        using var repository = new Repository(repo.Root);
        Assert.Equal(headManifest.Replace("2.1.0", "2.2.0", StringComparison.Ordinal), Blob(repository.Head.Tip, Manifest));
        Assert.Contains("\"channel\"", repo.Read(Manifest), StringComparison.Ordinal);
        Assert.Contains("\"version\":\"2.2.0\"", repo.Read(Manifest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_uncommitted_change_of_the_version_is_refused_and_nothing_is_written()
    {
        using var repo = Base();
        repo.Write(Manifest, repo.Read(Manifest).Replace("2.1.0", "3.0.0", StringComparison.Ordinal));
        var before = Snapshot(repo);

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => Promoter.PromoteAsync(Request(repo), Token));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal((DiagnosticCodes.UncommittedEditsInTheWay, Manifest), (diagnostic.Code, diagnostic.Path));
        Assert.Contains("'3.0.0' in the work tree but '2.1.0' at HEAD", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(repo));
    }

    [Fact]
    public async Task A_trace_whose_row_is_deleted_only_in_the_work_tree_is_still_refused_as_promoted()
    {
        using var repo = Base();
        var first = await Promoter.PromoteAsync(Request(repo), Token);
        repo.Write(Rows, string.Concat(Lines(repo.Read(Rows)).Where(l => !l.Contains(first.Id, StringComparison.Ordinal)).Select(l => l + "\n")));
        var before = Snapshot(repo);

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => Promoter.PromoteAsync(Request(repo) with { Id = "pay-0004", Branch = "again" }, Token));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(DiagnosticCodes.TraceAlreadyPromoted, diagnostic.Code);
        Assert.Contains("at HEAD", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(repo));
    }

    [Fact]
    public async Task A_dataset_not_committed_at_HEAD_is_refused()
    {
        using var repo = new TempRepository();
        repo.Write("README.md", "no dataset yet\n");
        repo.Commit("base");
        repo.WriteDemoSuite(DemoSuite.Good);
        repo.Write("trace.jsonl", Trace);
        var before = Snapshot(repo);

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => Promoter.PromoteAsync(Request(repo), Token));

        Assert.Equal(DiagnosticCodes.GitProblem, Assert.Single(error.Diagnostics).Code);
        Assert.Contains("is not committed at HEAD", error.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(repo));
    }

    [Theory]
    [InlineData("bad..name", "not a valid branch name")]
    [InlineData("(current)", "exists; pass --branch with a new name")]
    [InlineData("merge", "a merge is in progress")]
    public async Task A_repository_that_cannot_take_the_commit_is_refused_before_anything_is_written(string branch, string expected)
    {
        using var repo = Base();
        if (branch == "(current)")
        {
            using var repository = new Repository(repo.Root);
            branch = repository.Head.FriendlyName;
        }

        if (branch == "merge")
        {
            File.WriteAllText(Path.Combine(repo.Root, ".git", "MERGE_HEAD"), repo.HeadSha() + "\n");
        }

        var before = Snapshot(repo);
        var head = repo.HeadSha();

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => Promoter.PromoteAsync(Request(repo) with { Branch = branch }, Token));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(DiagnosticCodes.GitProblem, diagnostic.Code);
        Assert.Contains(expected, diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(repo));
        Assert.Equal(head, repo.HeadSha());
    }

    [Fact]
    public async Task A_repository_without_commits_is_refused_before_anything_is_written()
    {
        using var repo = new TempRepository();
        repo.WriteDemoSuite(DemoSuite.Good);
        repo.Write("trace.jsonl", Trace);
        var before = Snapshot(repo);

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => Promoter.PromoteAsync(Request(repo), Token));

        Assert.Contains("no commits yet", Assert.Single(error.Diagnostics).Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(repo));
    }

    [Fact]
    public async Task A_promotion_that_finds_the_dataset_locked_too_long_refuses_with_FW6004_and_writes_nothing()
    {
        using var repo = Base();
        using var other = await LockFile.AcquireAsync(repo.PathOf("datasets/demo/" + Promoter.LockFileName), TimeSpan.Zero, Token);
        var before = Snapshot(repo);

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => Promoter.PromoteAsync(Request(repo) with { LockTimeout = TimeSpan.FromMilliseconds(300) }, Token));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal((DiagnosticCodes.PromotionLocked, "datasets/demo/" + Promoter.LockFileName), (diagnostic.Code, diagnostic.Path));
        Assert.Contains($"process {Environment.ProcessId}", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(repo));
    }

    private static TempRepository Base()
    {
        var repo = new TempRepository();
        repo.WriteDemoSuite(DemoSuite.Good);
        repo.Write("README.md", "demo\n");
        repo.Commit("base");
        repo.Write("trace.jsonl", Trace);
        return repo;
    }

    private static void InsertUserRow(TempRepository repo)
    {
        var lines = Lines(repo.Read(Rows)).ToList();
        lines.Insert(lines.FindIndex(l => l.Contains("\"wire-0001\"", StringComparison.Ordinal)), UserRow);
        repo.Write(Rows, string.Concat(lines.Select(l => l + "\n")));
    }

    private static PromotionRequest Request(TempRepository repo) => new()
    {
        Root = repo.Root,
        TracePath = repo.PathOf("trace.jsonl"),
        Dataset = "demo",
        Expected = ["Bring a photo ID and the payoff letter."],
        ExpectNoToolCall = true,
        FailureMode = "ungrounded",
        AllowNearDuplicate = true,
        Commit = true,
    };

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string Blob(Commit commit, string path) => ((Blob)commit[path].Target).GetContentText();

    private static string[] ChangedPaths(Repository repository, Commit commit) =>
        [.. repository.Diff.Compare<TreeChanges>(commit.Parents.Single().Tree, commit.Tree).Select(c => c.Path).Order(StringComparer.Ordinal)];

    // Every file of the work tree and the git folder's refs, HEAD and index, hashed: a refusal must change none of them.
    private static Dictionary<string, string> Snapshot(TempRepository repo)
    {
        var git = Path.Combine(repo.Root, ".git");
        return Directory.EnumerateFiles(repo.Root, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(git + Path.DirectorySeparatorChar, StringComparison.Ordinal) || IsState(Path.GetRelativePath(git, f)))
            .ToDictionary(f => Path.GetRelativePath(repo.Root, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))), StringComparer.Ordinal);
    }

    private static bool IsState(string relative) => relative is "HEAD" or "index" || relative.StartsWith("refs", StringComparison.Ordinal);
}
