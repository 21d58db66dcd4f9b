using System.Diagnostics;
using System.Security.Cryptography;
using Flywheel.Action.Tests.Support;
using Flywheel.Evals.Files;

namespace Flywheel.Action.Tests.EndToEnd;

/// <summary>flywheel promote as a transaction, through the real process: a refusal writes nothing, --commit commits only its own change, concurrent promotions take turns, and rows.jsonl keeps its mode and line ends.</summary>
public sealed class PromoteTransactionTests
{
    private const string PolicyTraceId = "0af7651916cd43dd8448eb211c80319c";

    private const string PolicyTrace = """
        {"trace_id":"0af7651916cd43dd8448eb211c80319c","type":"tags","tags":{"intent":"policy","locale":"en-US"}}
        {"trace_id":"0af7651916cd43dd8448eb211c80319c","type":"message","role":"user","content":"Can I get my monthly statement by email?"}
        {"trace_id":"0af7651916cd43dd8448eb211c80319c","type":"response","content":"Sure."}
        """;

    private const string CardsTrace = """
        {"trace_id":"7c4e1d2a9b8f4e3d8c7b6a5f4e3d2c1b","type":"tags","tags":{"intent":"cards","locale":"en-US"}}
        {"trace_id":"7c4e1d2a9b8f4e3d8c7b6a5f4e3d2c1b","type":"message","role":"user","content":"How do I order a replacement debit card?"}
        {"trace_id":"7c4e1d2a9b8f4e3d8c7b6a5f4e3d2c1b","type":"response","content":"In the app."}
        """;

    // A row the user added by hand and has not committed (it sorts between balance-0002 and policy-0001).
    private const string UserRow = """{"id":"balance-0003","tags":{"intent":"balance","locale":"en-US"},"input":[{"role":"user","content":"Is my overdraft included in the balance?"}]}""";

    private const string Rows = "datasets/demo/rows.jsonl";
    private const string Manifest = "datasets/demo/dataset.json";

    [Fact]
    public async Task Commit_onto_a_branch_that_exists_is_refused_and_the_dataset_stays_byte_identical()
    {
        using var suite = Repository();
        GitCli.Run(suite.Root, "branch", "promote/taken");
        var before = Hashes(suite);
        var head = GitCli.Run(suite.Root, "rev-parse", "HEAD");

        var result = await PromoteAsync(suite, "policy.jsonl", "--commit", "--branch", "promote/taken");

        AssertRefused(result, "git: error FW4003: branch 'promote/taken' exists");
        Assert.Equal(before, Hashes(suite));
        Assert.Equal(head, GitCli.Run(suite.Root, "rev-parse", "HEAD"));
    }

    [Fact]
    public async Task Commit_outside_a_repository_is_refused_and_the_dataset_stays_byte_identical()
    {
        using var suite = Suite();
        var before = Hashes(suite);

        var result = await PromoteAsync(suite, "policy.jsonl", "--commit");

        AssertRefused(result, "git: error FW4003: ");
        Assert.Contains("is not inside a git repository", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Hashes(suite));
    }

    [Fact]
    public async Task Commit_in_a_repository_without_commits_is_refused_clearly_and_the_dataset_stays_byte_identical()
    {
        using var suite = Suite();
        GitCli.Run(suite.Root, "init", "-q");
        var before = Hashes(suite);

        var result = await PromoteAsync(suite, "policy.jsonl", "--commit");

        AssertRefused(result, "git: error FW4003: the repository has no commits yet: commit the dataset first");
        Assert.Equal(before, Hashes(suite));
    }

    [Fact]
    public async Task Commit_in_a_folder_whose_git_folder_is_broken_is_refused_and_the_dataset_stays_byte_identical()
    {
        using var suite = Suite();
        Directory.CreateDirectory(Path.Combine(suite.Root, ".git"));
        var before = Hashes(suite);

        var result = await PromoteAsync(suite, "policy.jsonl", "--commit");

        AssertRefused(result, "git: error FW4003: ");
        Assert.Contains("has a .git that git cannot open", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Hashes(suite));
    }

    [Fact]
    public async Task Commit_with_uncommitted_edits_in_rows_jsonl_commits_heads_rows_plus_only_the_new_row_and_leaves_the_edits_unstaged()
    {
        using var suite = Repository();
        var headRows = suite.Read(Rows);
        suite.Write(Rows, headRows.Replace("{\"id\":\"policy-0001\"", UserRow + "\n{\"id\":\"policy-0001\"", StringComparison.Ordinal));
        suite.Write("responses.jsonl", suite.Read("responses.jsonl") + "\n");
        var workBefore = suite.Read(Rows);

        var result = await PromoteAsync(suite, "policy.jsonl", "--commit");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{Rows} had uncommitted edits: they are not in the commit and stay uncommitted", result.Stdout, StringComparison.Ordinal);
        var promoted = Lines(suite.Read(Rows)).Single(l => l.Contains(PolicyTraceId, StringComparison.Ordinal));
        Assert.Contains(promoted, Lines(GitCli.Run(suite.Root, "show", "HEAD:" + Rows)));
        Assert.Equal(headRows, string.Concat(Lines(GitCli.Run(suite.Root, "show", "HEAD:" + Rows)).Where(l => l != promoted).Select(l => l + "\n")));
        Assert.Equal(workBefore, string.Concat(Lines(suite.Read(Rows)).Where(l => l != promoted).Select(l => l + "\n")));
        Assert.Equal($"{Manifest}\n{Rows}\n", GitCli.Run(suite.Root, "diff", "--name-only", "HEAD~1", "HEAD"));
        Assert.Equal(" M datasets/demo/rows.jsonl\n M responses.jsonl\n", GitCli.Run(suite.Root, "status", "--porcelain", "--untracked-files=no"));
        var unstaged = GitCli.Run(suite.Root, "diff", "--unified=0", "--", Rows);
        var changed = unstaged.Split('\n').Where(l => l.Length > 0 && l[0] is '+' or '-' && !l.StartsWith("+++", StringComparison.Ordinal) && !l.StartsWith("---", StringComparison.Ordinal));
        Assert.Equal(["+" + UserRow], changed);
        Assert.StartsWith("flywheel/promote/policy-0af76519", GitCli.Run(suite.Root, "branch", "--show-current"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commit_refuses_when_an_uncommitted_edit_changed_the_dataset_version_and_writes_nothing()
    {
        using var suite = Repository();
        suite.Write(Manifest, suite.Read(Manifest).Replace("1.0.0", "1.5.0", StringComparison.Ordinal));
        var before = Hashes(suite);

        var result = await PromoteAsync(suite, "policy.jsonl", "--commit");

        AssertRefused(result, $"{Manifest}: error FW6005: the version is '1.5.0' in the work tree but '1.0.0' at HEAD");
        Assert.Equal(before, Hashes(suite));
        Assert.Equal(string.Empty, GitCli.Run(suite.Root, "branch", "--list", "flywheel/*"));
    }

    [Fact]
    public async Task Commit_refuses_a_rows_file_that_cannot_be_written_before_creating_a_branch()
    {
        using var suite = Repository();
        var rows = Path.Combine(suite.Root, Rows);
        Assert.SkipUnless(Chattr("+i", rows), "chattr +i is not available here (it needs root and a file system that supports it)");
        try
        {
            var before = Hashes(suite);

            var result = await PromoteAsync(suite, "policy.jsonl", "--commit");

            AssertRefused(result, "error FW8001: cannot write this file");
            Assert.Equal(before, Hashes(suite));
            Assert.Equal(string.Empty, GitCli.Run(suite.Root, "branch", "--list", "flywheel/*"));
        }
        finally
        {
            Chattr("-i", rows);
        }
    }

    [Fact]
    public async Task Promote_on_a_full_disk_refuses_and_leaves_both_files_whole()
    {
        using var suite = Suite();
        var disk = Directory.CreateTempSubdirectory("flywheel-full-").FullName;
        Assert.SkipUnless(Run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", disk), "mounting a small tmpfs needs root");
        try
        {
            foreach (var file in new[] { Rows, Manifest, "policy.jsonl" })
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(disk, file))!);
                File.Copy(Path.Combine(suite.Root, file), Path.Combine(disk, file));
            }

            // Fill the disk but for one page: the lock file may fit, the new rows.jsonl does not.
            var free = new DriveInfo(disk).AvailableFreeSpace;
            await File.WriteAllBytesAsync(Path.Combine(disk, "fill"), new byte[Math.Max(0, free - 4096)], TestContext.Current.CancellationToken);
            var before = Hashes(disk);

            var result = await FlywheelProcess.RunAsync(disk, "promote", "--trace", Path.Combine(disk, "policy.jsonl"), "--dataset", "demo", "--expect-no-tool-call", "--root", disk);

            AssertRefused(result, "error FW8001: cannot write this file: no space left on the device");
            Assert.Equal(before, Hashes(disk));
            Assert.Equal(["dataset.json", "rows.jsonl"], Entries(disk));
        }
        finally
        {
            Run("umount", disk);
            Directory.Delete(disk, recursive: true);
        }
    }

    [Fact]
    public async Task Two_promotes_of_the_same_trace_at_once_let_exactly_one_through_and_the_trace_lands_once()
    {
        for (var round = 0; round < 3; round++)
        {
            using var suite = Suite();

            var results = await Task.WhenAll(PromoteAsync(suite, "policy.jsonl"), PromoteAsync(suite, "policy.jsonl"));

            var report = string.Join("\n", results.Select(r => r.ToString()));
            Assert.True(results.Count(r => r.ExitCode == 0) == 1, report);
            var refused = results.Single(r => r.ExitCode != 0);
            AssertRefused(refused, "error FW6002: trace 0af7651916cd43dd8448eb211c80319c was already promoted");
            Assert.Equal(1, Occurrences(suite.Read(Rows), PolicyTraceId));
            Assert.Contains("\"version\":\"1.1.0\"", suite.Read(Manifest), StringComparison.Ordinal);
            Assert.Equal(["dataset.json", "rows.jsonl"], Entries(suite));
        }
    }

    [Fact]
    public async Task Two_promotes_of_different_traces_at_once_take_turns_and_both_rows_land_once()
    {
        for (var round = 0; round < 2; round++)
        {
            using var suite = Suite();

            var results = await Task.WhenAll(PromoteAsync(suite, "policy.jsonl"), PromoteAsync(suite, "cards.jsonl"));

            Assert.True(results.All(r => r.ExitCode == 0), string.Join("\n", results.Select(r => r.ToString())));
            Assert.Equal(1, Occurrences(suite.Read(Rows), PolicyTraceId));
            Assert.Equal(1, Occurrences(suite.Read(Rows), "7c4e1d2a9b8f4e3d8c7b6a5f4e3d2c1b"));
            Assert.Contains("\"version\":\"1.2.0\"", suite.Read(Manifest), StringComparison.Ordinal);
            var validate = await suite.RunAsync("validate");
            Assert.True(validate.ExitCode == 0, validate.ToString());
        }
    }

    [Fact]
    public async Task Two_promote_commits_of_different_traces_at_once_take_turns_on_the_repository()
    {
        using var suite = Repository();

        var results = await Task.WhenAll(PromoteAsync(suite, "policy.jsonl", "--commit"), PromoteAsync(suite, "cards.jsonl", "--commit"));

        Assert.True(results.All(r => r.ExitCode == 0), string.Join("\n", results.Select(r => r.ToString())));
        var committed = GitCli.Run(suite.Root, "show", "HEAD:" + Rows);
        Assert.Equal((1, 1), (Occurrences(committed, PolicyTraceId), Occurrences(committed, "7c4e1d2a9b8f4e3d8c7b6a5f4e3d2c1b")));
        Assert.Equal(suite.Read(Rows), committed);
        Assert.Equal(string.Empty, GitCli.Run(suite.Root, "status", "--porcelain", "--untracked-files=no"));
        Assert.Equal(2, GitCli.Run(suite.Root, "branch", "--list", "flywheel/*").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task A_promote_that_waits_the_whole_ten_seconds_for_the_lock_refuses_with_FW6004_and_writes_nothing()
    {
        using var suite = Suite();
        using var other = await LockFile.AcquireAsync(Path.Combine(suite.Root, "datasets/demo/.flywheel-promote.lock"), TimeSpan.Zero, TestContext.Current.CancellationToken);
        var before = Hashes(suite);
        var clock = Stopwatch.StartNew();

        var result = await PromoteAsync(suite, "policy.jsonl");

        AssertRefused(result, "datasets/demo/.flywheel-promote.lock: error FW6004: another promotion into datasets/demo is running");
        Assert.Contains($"process {Environment.ProcessId} on ", result.Stderr, StringComparison.Ordinal);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(10), $"refused after {clock.Elapsed}");
        Assert.Equal(before, Hashes(suite));
    }

    [Fact]
    public async Task A_lock_left_by_a_promote_that_died_is_taken_over()
    {
        using var suite = Suite();
        using var dead = Process.Start(new ProcessStartInfo("true"))!;
        await dead.WaitForExitAsync(TestContext.Current.CancellationToken);
        suite.Write("datasets/demo/.flywheel-promote.lock", $"flywheel lock\npid={dead.Id}\nhost={Environment.MachineName}\nsince=2026-01-01T00:00:00Z\nid=0123456789abcdef\n");

        var result = await PromoteAsync(suite, "policy.jsonl");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["dataset.json", "rows.jsonl"], Entries(suite));
    }

    [Fact]
    public async Task Promote_keeps_the_file_mode_of_rows_jsonl_and_dataset_json()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes");
            return;
        }

        using var suite = Suite();
        const UnixFileMode OwnerWriteGroupRead = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        File.SetUnixFileMode(Path.Combine(suite.Root, Rows), OwnerWriteGroupRead);
        File.SetUnixFileMode(Path.Combine(suite.Root, Manifest), UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var result = await PromoteAsync(suite, "policy.jsonl");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(OwnerWriteGroupRead, File.GetUnixFileMode(Path.Combine(suite.Root, Rows)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(suite.Root, Manifest)));
    }

    [Fact]
    public async Task Promote_keeps_crlf_line_ends_in_rows_jsonl_and_dataset_json()
    {
        using var suite = Suite();
        var rows = TempSuite.ValidRows.ReplaceLineEndings("\r\n") + "\r\n";
        const string Crlf = "{\r\n  \"name\": \"demo\",\r\n  \"version\": \"1.0.0\",\r\n  \"cohort_keys\": [\"intent\", \"locale\"]\r\n}\r\n";
        suite.Write(Rows, rows);
        suite.Write(Manifest, Crlf);

        var result = await PromoteAsync(suite, "cards.jsonl");

        Assert.True(result.ExitCode == 0, result.ToString());
        var after = suite.Read(Rows);
        Assert.EndsWith("\r\n", after, StringComparison.Ordinal);
        Assert.Equal(4, after.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain("\n", after.Replace("\r\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(rows, string.Concat(after.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Where(l => !l.Contains("cards-", StringComparison.Ordinal)).Select(l => l + "\r\n")));
        Assert.Equal(Crlf.Replace("1.0.0", "1.1.0", StringComparison.Ordinal), suite.Read(Manifest));
    }

    [Fact]
    public async Task Promote_after_a_last_line_without_a_newline_ends_that_line_and_the_file()
    {
        using var suite = Suite();
        suite.Write(Rows, TempSuite.ValidRows);

        var result = await PromoteAsync(suite, "policy.jsonl");

        Assert.True(result.ExitCode == 0, result.ToString());
        var promoted = Lines(suite.Read(Rows)).Single(l => l.Contains(PolicyTraceId, StringComparison.Ordinal));
        Assert.Equal(TempSuite.ValidRows + "\n" + promoted + "\n", suite.Read(Rows));
        Assert.Contains("at line 4", result.Stdout, StringComparison.Ordinal);
    }

    private static TempSuite Suite()
    {
        var suite = new TempSuite();
        suite.Write("policy.jsonl", PolicyTrace);
        suite.Write("cards.jsonl", CardsTrace);
        return suite;
    }

    // A suite committed in a repository whose own config names the committer.
    private static TempSuite Repository()
    {
        var suite = Suite();
        GitCli.CommitAll(suite.Root, "base");
        GitCli.Run(suite.Root, "config", "user.name", "Dana");
        GitCli.Run(suite.Root, "config", "user.email", "dana@example.com");
        return suite;
    }

    private static Task<ProcessResult> PromoteAsync(TempSuite suite, string trace, params string[] args) =>
        suite.RunAsync(["promote", "--trace", Path.Combine(suite.Root, trace), "--dataset", "demo", "--expected", "See the answer in the app.", "--expect-no-tool-call", .. args]);

    private static void AssertRefused(ProcessResult result, string diagnostic)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(diagnostic, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Stderr, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Hashes(TempSuite suite) => Hashes(suite.Root);

    private static Dictionary<string, string> Hashes(string root) => new[] { Rows, Manifest }
        .ToDictionary(p => p, p => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(root, p)))), StringComparer.Ordinal);

    private static string[] Entries(TempSuite suite) => Entries(suite.Root);

    private static string[] Entries(string root) =>
        [.. Directory.GetFileSystemEntries(Path.Combine(root, "datasets/demo")).Select(e => Path.GetFileName(e)!).Order(StringComparer.Ordinal)];

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static int Occurrences(string text, string value) => (text.Length - text.Replace(value, string.Empty, StringComparison.Ordinal).Length) / value.Length;

    private static bool Chattr(string flag, string path) => Run("chattr", flag, path);

    // Runs a system tool; false when it fails or is not installed.
    private static bool Run(string tool, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(tool, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
