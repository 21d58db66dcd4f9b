using System.Text.Json;
using System.Xml.Linq;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Reports;
using Flywheel.Evals.Runs;
using Flywheel.Evals.Schemas;
using Flywheel.Evals.Targets;
using Flywheel.Evals.Tests.Support;

namespace Flywheel.Evals.Tests.Runs;

public sealed class SuiteRunnerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Good_responses_pass_every_gate()
    {
        using var suite = new DemoSuite();
        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root }, Token);

        Assert.Equal(Verdicts.Passed, result.Run.Verdict);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(4, result.Run.Rows.Count);
        Assert.Equal(["m-1"], result.Run.Models);
        Assert.Equal("2.1.0", Assert.Single(result.Run.Datasets).Version);
    }

    [Fact]
    public async Task Insufficient_cohorts_block_unless_the_run_says_not_to_fail_on_them()
    {
        using var suite = new DemoSuite();
        File.WriteAllText(suite.PathOf("evaluators/flywheel.json"), DemoSuite.Suite.Replace("\"min_pass_rate\": 0.9 }", "\"min_pass_rate\": 0.9, \"min_rows\": 10 }", StringComparison.Ordinal));

        await using var strict = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root }, Token);
        await using var lenient = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root, FailOnInsufficient = false }, Token);

        Assert.Equal(Verdicts.Failed, strict.Run.Verdict);
        Assert.All(strict.Run.Gates.Where(g => g.Cohort.StartsWith("intent=", StringComparison.Ordinal)), g => Assert.Equal((GateStatuses.Insufficient, true), (g.Status, g.Blocking)));
        Assert.Equal(Verdicts.Passed, lenient.Run.Verdict);
        Assert.All(lenient.Run.Gates.Where(g => g.Cohort.StartsWith("intent=", StringComparison.Ordinal)), g => Assert.Equal((GateStatuses.Insufficient, false), (g.Status, g.Blocking)));
    }

    [Fact]
    public async Task Bad_responses_fail_the_gates_of_the_broken_cohorts_only()
    {
        using var suite = new DemoSuite();
        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root, Responses = suite.PathOf("bad.jsonl") }, Token);

        Assert.Equal(Verdicts.Failed, result.Run.Verdict);
        var failed = result.Run.Gates.Where(g => g.Status == GateStatuses.Failed).Select(g => g.Cohort).ToList();
        Assert.Equal(["intent=pay", "intent=wire"], failed);
        var pay = result.Run.Cohorts.Single(c => c.Cohort == "intent=pay" && c.Evaluator == "*");
        Assert.Equal((2, 1), (pay.Rows, pay.Passed)); // the pending row is scored but does not count
        var pending = result.Run.Rows.Single(r => r.Id == "pay-0003");
        Assert.Equal(("pending", false), (pending.Review, pending.Passed));
    }

    [Fact]
    public async Task Baseline_comparison_lists_rows_that_flipped_and_fails_max_drop()
    {
        using var suite = new DemoSuite();
        var baselinePath = suite.PathOf("out/baseline.json");
        await using (var baseline = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root }, Token))
        {
            await RunJson.WriteFileAsync(baseline.Run, baselinePath, Token);
        }

        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root, Responses = suite.PathOf("bad.jsonl"), Baseline = baselinePath }, Token);

        Assert.Equal(
            [("pay-0001", "grounded"), ("wire-0001", "tools")],
            result.Run.Regressions.Select(r => (r.Id, r.Evaluator)));
        var all = result.Run.Cohorts.Single(c => c.Cohort == "*" && c.Evaluator == "*");
        Assert.Equal((1.0, -2.0 / 3), (all.BaselinePassRate!.Value, Math.Round(all.Delta!.Value, 6)), new RoundedComparer());
        Assert.Contains(result.Run.Gates, g => g.Cohort == "*" && g.Status == GateStatuses.Failed && g.Message.Contains("fell", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_json_conforms_to_its_schema_and_reads_back_the_same()
    {
        using var suite = new DemoSuite();
        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root, Responses = suite.PathOf("bad.jsonl") }, Token);
        var path = suite.PathOf("out/run.json");
        await RunJson.WriteFileAsync(result.Run, path, Token);
        var text = await File.ReadAllTextAsync(path, Token);

        var schemas = await FlywheelSchemas.LoadAsync(Token);
        Assert.Empty(FlywheelSchemas.Validate(schemas.Run, text));
        var back = await RunJson.ReadFileAsync(path, "run.json", Token);
        Assert.Equal(result.Run.Verdict, back.Verdict);
        Assert.Equal(result.Run.Rows.Select(r => (r.Id, r.Passed)), back.Rows.Select(r => (r.Id, r.Passed)));
        Assert.Equal(result.Run.Gates, back.Gates);
    }

    [Fact]
    public async Task Failing_rows_keep_what_a_reviewer_needs_and_passing_rows_only_scores()
    {
        using var suite = new DemoSuite();
        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root, Responses = suite.PathOf("bad.jsonl") }, Token);
        using var run = JsonDocument.Parse(await Render(new RunJson(), result.Run));

        var rows = run.RootElement.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!);
        Assert.True(rows["pay-0001"].TryGetProperty("context", out _));
        Assert.Contains("$35", rows["pay-0001"].GetProperty("response").GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.False(rows["pay-0002"].TryGetProperty("input", out _));
        Assert.False(rows["pay-0002"].GetProperty("response").TryGetProperty("output", out _));
    }

    [Fact]
    public async Task Same_inputs_give_the_same_run_apart_from_time()
    {
        using var suite = new DemoSuite();
        var first = await RunText(suite);
        var second = await RunText(suite);

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Markdown_report_puts_the_verdict_and_failed_gates_first()
    {
        using var suite = new DemoSuite();
        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root, Responses = suite.PathOf("bad.jsonl") }, Token);

        var md = await Render(new MarkdownReport(), result.Run);

        var lines = md.Split('\n');
        Assert.Equal(MarkdownReport.Marker, lines[0]);
        Assert.StartsWith("## ❌ Flywheel gate failed: 2 of 3 gate check(s) failed", lines[1], StringComparison.Ordinal);
        Assert.True(md.IndexOf("### Failed gates", StringComparison.Ordinal) < md.IndexOf("### Cohorts", StringComparison.Ordinal));
        Assert.Contains("`wire-0001`", md, StringComparison.Ordinal);
        Assert.Contains("Rows awaiting review", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Junit_has_one_case_per_row_and_evaluator_plus_one_per_gate()
    {
        using var suite = new DemoSuite();
        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root, Responses = suite.PathOf("bad.jsonl") }, Token);

        var xml = XDocument.Parse(await Render(new JUnitReport(), result.Run));

        var scores = result.Run.Rows.Sum(r => r.Scores.Count);
        var cases = xml.Descendants("testcase").ToList();
        Assert.Equal(scores + result.Run.Gates.Count, cases.Count);
        Assert.Contains(cases, c => (string?)c.Attribute("name") == "demo/wire-0001 · tools" && c.Element("failure") is not null);
        Assert.Contains(cases, c => ((string?)c.Attribute("name"))!.StartsWith("demo/pay-0003", StringComparison.Ordinal) && c.Element("skipped") is not null);
        Assert.Equal(cases.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)xml.Root!.Attribute("tests"));
    }

    [Fact]
    public async Task Rows_scored_in_parallel_batches_come_out_in_dataset_order_with_their_own_responses()
    {
        // More rows than several batches: each odd row gets a wrong payoff figure, so a row scored against a neighbour's
        // response, or written out of order, changes the sequence of outcomes.
        const int Count = 75;
        using var suite = new DemoSuite();
        var rows = new List<string>();
        var responses = new List<string>();
        for (var i = 1; i <= Count; i++)
        {
            var id = $"pay-{i:0000}";
            rows.Add($$$"""{"id":"{{{id}}}","tags":{"intent":"pay","locale":"en-US"},"input":[{"role":"user","content":"Payoff for L-{{{i}}}?"}],"context":[{"id":"q{{{i}}}","text":"Payoff quote for loan L-{{{i}}}: ${{{i}}},000.00, valid until Nov 30."}],"expected":{"answers":["Your payoff amount is ${{{i}}},000.00, valid until Nov 30."]}}""");
            var amount = i % 2 == 1 ? $"{i + 7},500.00" : $"{i},000.00";
            responses.Add($$"""{"id":"{{id}}","output":"Your payoff amount is ${{amount}}, valid until Nov 30."}""");
        }

        File.WriteAllText(suite.PathOf("datasets/demo/rows.jsonl"), string.Join('\n', rows) + "\n");
        File.WriteAllText(suite.PathOf("good.jsonl"), string.Join('\n', responses) + "\n");

        await using var serial = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root, Concurrency = 1 }, Token);
        await using var parallel = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root, Concurrency = 4 }, Token);

        var expected = Enumerable.Range(1, Count).Select(i => ($"pay-{i:0000}", (bool?)(i % 2 == 0), (int?)i)).ToList();
        Assert.Equal(expected, serial.Run.Rows.Select(r => (r.Id, r.Passed, r.Line)).ToList());
        Assert.Equal(expected, parallel.Run.Rows.Select(r => (r.Id, r.Passed, r.Line)).ToList());
        Assert.Equal(serial.Run.Cohorts.Select(c => (c.Cohort, c.Evaluator, c.Rows, c.Passed)), parallel.Run.Cohorts.Select(c => (c.Cohort, c.Evaluator, c.Rows, c.Passed)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_row_that_throws_ends_the_run_with_its_exception_instead_of_hanging(int concurrency)
    {
        // Enough rows that the reading loop is waiting for room in the hand-off when the failed row reaches the consumer.
        using var suite = GeneratedSuite.WithFailures(total: 400, failing: 0);
        var options = new RunOptions { Root = suite.Root, Concurrency = concurrency, WrapTarget = target => new FailingTarget(target, failAt: 5) };

        var run = SuiteRunner.RunAsync(options, Token);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => run.WaitAsync(TimeSpan.FromSeconds(30), Token));
        Assert.Equal("response 5 broke", error.Message);
    }

    private static async Task<string> RunText(DemoSuite suite)
    {
        var fixedTime = new FixedTime();
        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = suite.Root, Responses = suite.PathOf("bad.jsonl"), Time = fixedTime }, Token);
        return await Render(new RunJson(), result.Run with { DurationMs = 0 });
    }

    private static async Task<string> Render(IRunReport report, Run run)
    {
        await using var writer = new StringWriter();
        await report.WriteAsync(run, writer, Token);
        return writer.ToString();
    }

    /// <summary>The real target, except that one response throws as a bug in reading it would.</summary>
    private sealed class FailingTarget(ITarget inner, int failAt) : ITarget
    {
        private int _responses;

        public string Description => inner.Description;

        public ValueTask<Response?> GetResponseAsync(Dataset dataset, Row row, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _responses) == failAt
                ? throw new InvalidOperationException($"response {failAt} broke")
                : inner.GetResponseAsync(dataset, row, cancellationToken);

        public ValueTask CompleteAsync(DiagnosticBag diagnostics, CancellationToken cancellationToken) => inner.CompleteAsync(diagnostics, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    }

    private sealed class RoundedComparer : IEqualityComparer<(double, double)>
    {
        public bool Equals((double, double) x, (double, double) y) => Math.Abs(x.Item1 - y.Item1) < 1e-6 && Math.Abs(x.Item2 - y.Item2) < 1e-6;

        public int GetHashCode((double, double) obj) => 0;
    }
}
