using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Runs;
using Flywheel.Evals.Tests.Support;

namespace Flywheel.Evals.Tests.Git;

public sealed class BaselineAtRefTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pull_request_that_changes_responses_shows_exactly_the_rows_that_flipped()
    {
        using var repo = new TempRepository();
        repo.WriteDemoSuite(DemoSuite.Good);
        var baseSha = repo.Commit("base");
        repo.Write("responses.jsonl", DemoSuite.Bad + "\n");
        repo.Commit("prompt change");

        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = repo.Root, BaselineRef = baseSha }, Token);

        Assert.Equal([("pay-0001", "grounded"), ("wire-0001", "tools")], result.Run.Regressions.Select(r => (r.Id, r.Evaluator)));
        Assert.Equal($"{baseSha}@{baseSha[..12]}", result.Run.Baseline);
        Assert.Equal(Verdicts.Failed, result.Run.Verdict);
    }

    [Fact]
    public async Task Baseline_at_a_ref_equals_a_gate_run_on_a_checkout_of_that_ref_and_leaves_the_work_tree_alone()
    {
        using var repo = new TempRepository();
        repo.WriteDemoSuite(DemoSuite.Bad);
        var baseSha = repo.Commit("base with the bad responses");
        repo.Write("responses.jsonl", DemoSuite.Good + "\n");
        repo.Write("datasets/demo/rows.jsonl", DemoSuite.Rows.Replace("Payoff for L-2?", "Payoff for loan L-2?", StringComparison.Ordinal) + "\n");
        var headSha = repo.Commit("head");

        await using var compared = await SuiteRunner.RunAsync(new RunOptions { Root = repo.Root, BaselineRef = "HEAD~1" }, Token);
        Assert.Equal(headSha, repo.HeadSha());
        Assert.True(repo.IsClean(), "the baseline must be read from git's objects, not by checking out");

        repo.Checkout(baseSha);
        await using var checkedOut = await SuiteRunner.RunAsync(new RunOptions { Root = repo.Root }, Token);

        var expected = checkedOut.Run.Cohorts.ToDictionary(c => (c.Cohort, c.Evaluator), c => (c.Rows, c.PassRate));
        foreach (var cohort in compared.Run.Cohorts)
        {
            Assert.True(expected.TryGetValue((cohort.Cohort, cohort.Evaluator), out var before), $"{cohort.Cohort}/{cohort.Evaluator} missing at the base");
            Assert.Equal(before, (cohort.BaselineRows!.Value, cohort.BaselinePassRate));
        }
    }

    [Fact]
    public async Task Merge_base_is_the_baseline_when_the_base_branch_moved_on()
    {
        using var repo = new TempRepository();
        repo.WriteDemoSuite(DemoSuite.Good);
        var forkPoint = repo.Commit("fork point");
        repo.Write("responses.jsonl", DemoSuite.Bad + "\n");
        var mainMovedOn = repo.Commit("main breaks things after the fork");
        using (var repository = new LibGit2Sharp.Repository(repo.Root))
        {
            repository.Branches.Add("main-tip", mainMovedOn);
        }

        repo.Checkout(forkPoint);
        using (var repository = new LibGit2Sharp.Repository(repo.Root))
        {
            LibGit2Sharp.Commands.Checkout(repository, repository.Branches.Add("feature", forkPoint));
        }

        repo.Write("README.md", "feature work\n");
        repo.Commit("feature");

        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = repo.Root, BaselineRef = "main-tip" }, Token);

        Assert.EndsWith(forkPoint[..12], result.Run.Baseline, StringComparison.Ordinal);
        Assert.Empty(result.Run.Regressions);
        Assert.Equal(Verdicts.Passed, result.Run.Verdict);
    }

    [Fact]
    public async Task Rows_added_and_removed_against_the_baseline_are_listed()
    {
        using var repo = new TempRepository();
        repo.WriteDemoSuite(DemoSuite.Good);
        repo.Commit("base");
        var lines = DemoSuite.Rows.Split('\n');
        var responses = DemoSuite.Good.Split('\n');
        repo.Write("datasets/demo/rows.jsonl", string.Join('\n', lines[0], lines[1], lines[2], lines[3].Replace("wire-0001", "wire-0002", StringComparison.Ordinal)) + "\n");
        repo.Write("responses.jsonl", string.Join('\n', responses[0], responses[1], responses[2], responses[3].Replace("wire-0001", "wire-0002", StringComparison.Ordinal)) + "\n");
        repo.Commit("rename a row");

        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = repo.Root, BaselineRef = "HEAD~1" }, Token);

        Assert.Equal(["demo/wire-0002"], result.Run.RowsAdded);
        Assert.Equal(["demo/wire-0001"], result.Run.RowsRemoved);
    }

    [Fact]
    public async Task A_ref_the_clone_lacks_says_how_to_fetch_it()
    {
        using var repo = new TempRepository();
        repo.WriteDemoSuite(DemoSuite.Good);
        repo.Commit("only commit");

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => SuiteRunner.RunAsync(new RunOptions { Root = repo.Root, BaselineRef = "origin/main" }, Token));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(DiagnosticCodes.RefNotFound, diagnostic.Code);
        Assert.Contains("fetch-depth: 0", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("git fetch origin main", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ref_where_the_suite_did_not_exist_is_a_clear_error()
    {
        using var repo = new TempRepository();
        repo.Write("README.md", "before flywheel\n");
        repo.Commit("before");
        repo.WriteDemoSuite(DemoSuite.Good);
        repo.Commit("add the suite");

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => SuiteRunner.RunAsync(new RunOptions { Root = repo.Root, BaselineRef = "HEAD~1" }, Token));

        Assert.Contains("the suite did not exist at HEAD~1", Assert.Single(error.Diagnostics).Message, StringComparison.Ordinal);
    }
}
