using Flywheel.Action.Tests.Support;

namespace Flywheel.Action.Tests.EndToEnd;

/// <summary>promote, diff and gate --baseline-ref through the real command line on a real git repository.</summary>
public sealed class GitCommandsTests
{
    [Fact]
    public async Task Promote_refuses_a_bad_trace_with_exit_2_and_leaves_the_dataset_byte_identical()
    {
        using var suite = new TempSuite();
        suite.Write("trace.json", """{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"abc","name":"GET /health"}]}]}]}""");
        var before = File.ReadAllBytes(suite.RowsPath);

        var result = await suite.RunAsync("promote", "--trace", Path.Combine(suite.Root, "trace.json"), "--dataset", "demo");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("error FW6001", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("gen_ai", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(suite.RowsPath));
    }

    [Fact]
    public async Task Promote_then_diff_then_gate_against_the_base_ref()
    {
        using var suite = new TempSuite();
        GitCli.CommitAll(suite.Root, "base");
        suite.Write("trace.jsonl", """
            {"trace_id":"0af7651916cd43dd8448eb211c80319c","type":"tags","tags":{"intent":"policy","locale":"en-US"}}
            {"trace_id":"0af7651916cd43dd8448eb211c80319c","type":"message","role":"user","content":"Can I get my statement by email at sam@example.com?"}
            {"trace_id":"0af7651916cd43dd8448eb211c80319c","type":"response","content":"Sure, statements are emailed monthly."}
            """);

        var promoted = await suite.RunAsync("promote", "--trace", Path.Combine(suite.Root, "trace.jsonl"), "--dataset", "demo",
            "--expected", "Statements can be emailed every month.", "--expect-no-tool-call", "--failure-mode", "ungrounded");
        Assert.True(promoted.ExitCode == 0, promoted.ToString());
        Assert.Contains("promoted policy-0af76519", promoted.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("sam@example.com", File.ReadAllText(suite.RowsPath), StringComparison.Ordinal);
        GitCli.Run(suite.Root, "-c", "user.name=Dana", "-c", "user.email=dana@example.com", "commit", "-qam", "promote");

        var diff = await suite.RunAsync("diff", "--base", "HEAD~1");
        Assert.True(diff.ExitCode == 0, diff.ToString());
        Assert.Contains("- added `policy-0af76519`", diff.Stdout, StringComparison.Ordinal);
        Assert.Contains("1.0.0 → 1.1.0", diff.Stdout, StringComparison.Ordinal);

        // The promoted row is pending and has no recorded response yet: shown, warned about, not gating.
        var gate = await suite.RunAsync("gate", "--baseline-ref", "HEAD~1", "--format", "md");
        Assert.True(gate.ExitCode == 0, gate.ToString());
        Assert.Contains("warning FW3002", gate.Stderr, StringComparison.Ordinal);
        Assert.Contains("Rows awaiting review", suite.Read(".flywheel/out/report.md"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promote_commit_signs_with_the_identity_of_the_users_global_git_config()
    {
        using var suite = new TempSuite();
        GitCli.CommitAll(suite.Root, "base");
        suite.Write("home/.gitconfig", "[user]\n\tname = Global Gale\n\temail = gale@example.com\n");
        suite.Write("trace.jsonl", """
            {"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","type":"tags","tags":{"intent":"policy","locale":"en-US"}}
            {"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","type":"message","role":"user","content":"Are statements emailed?"}
            {"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","type":"response","content":"Yes, monthly."}
            """);
        // The repository has no identity of its own: only the user's ~/.gitconfig names one, as on most machines.
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = Path.Combine(suite.Root, "home"),
            ["XDG_CONFIG_HOME"] = Path.Combine(suite.Root, "home/.config"),
            ["GIT_CONFIG_NOSYSTEM"] = "1",
        };

        var promoted = await FlywheelProcess.RunAsync(suite.Root, environment, "promote", "--trace", Path.Combine(suite.Root, "trace.jsonl"), "--dataset", "demo",
            "--expected", "Statements are emailed monthly.", "--expect-no-tool-call", "--commit", "--branch", "promote/statements", "--root", suite.Root);

        Assert.True(promoted.ExitCode == 0, promoted.ToString());
        Assert.Contains("committed", promoted.Stdout, StringComparison.Ordinal);
        Assert.Equal("Global Gale <gale@example.com>", GitCli.Run(suite.Root, "log", "-1", "--format=%an <%ae>", "promote/statements").Trim());
        Assert.Contains("\"promoted_by\":\"Global Gale\"", File.ReadAllText(suite.RowsPath), StringComparison.Ordinal);
    }
}
