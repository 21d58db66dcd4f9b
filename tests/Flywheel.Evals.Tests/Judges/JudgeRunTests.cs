using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Reports;
using Flywheel.Evals.Runs;
using Flywheel.Evals.Schemas;
using Flywheel.Evals.Tests.Support;
using Flywheel.Testing.ChatServer;

namespace Flywheel.Evals.Tests.Judges;

/// <summary>Whole runs with a judge: failures become error scores, the cache makes re-runs free, the budget stops cleanly, repeats vote.</summary>
public sealed class JudgeRunTests
{
    private const string Answer = """[{ "name": "answer", "kind": "ground-truth-match", "method": "llm" }]""";
    private const string Two = """
        [{ "name": "answer", "kind": "ground-truth-match", "method": "llm" },
         { "name": "grounded", "kind": "groundedness", "method": "llm", "threshold": 1.0 }]
        """;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_judge_that_is_down_gives_error_scores_and_an_error_verdict_never_a_pass()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        using var suite = new JudgeSuite(server.Endpoint, Answer, judgeExtra: """, "max_retries": 1""");
        server.Enqueue(Enumerable.Repeat<ServerBehavior>(new ServerBehavior.Status(500), 100).ToArray());

        await using var result = await suite.RunAsync();

        Assert.Equal(Verdicts.Error, result.Run.Verdict);
        Assert.Equal(2, result.ExitCode);
        var scores = result.Run.Rows.SelectMany(r => r.Scores).ToList();
        Assert.Equal(3, scores.Count);
        Assert.All(scores, s => Assert.Equal((null, null, "judge call failed: HTTP 500 InternalServerError (gave up after 2 attempt(s))"), (s.Passed, s.Value, s.Error)));
        Assert.Equal(3, result.Run.UndecidedScores);
        Assert.Equal(3, result.Run.Errors.Count(e => e.Contains(DiagnosticCodes.EvaluatorError, StringComparison.Ordinal)));
        var judge = Assert.Single(result.Run.ModelCalls!.Endpoints);
        Assert.Equal((6L, 3L, 3L), (judge.Requests, judge.Retries, judge.Failures));
        Assert.All(result.Run.Cohorts.Where(c => c.Evaluator == "answer"), c => Assert.Equal(0, c.Passed));
    }

    [Fact]
    public async Task An_invalid_answer_is_retried_once_with_the_problem_then_used()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        using var suite = new JudgeSuite(server.Endpoint, Answer, rows: JudgeSuite.Rows.Split('\n')[0]);
        server.Enqueue(new ServerBehavior.GarbageContent());

        await using var result = await suite.RunAsync();

        Assert.Equal(2, server.RequestCount);
        var retry = server.Requests[1].Messages;
        Assert.Equal(["system", "user", "assistant", "user"], retry.Select(m => m.Role));
        Assert.Equal("I think it is fine, probably.", retry[2].Content);
        Assert.StartsWith("That answer is not valid: it is not JSON", retry[3].Content, StringComparison.Ordinal);
        Assert.True(result.Run.Rows.Single().Scores.Single().Passed);
    }

    [Fact]
    public async Task An_answer_that_fails_its_schema_twice_is_an_error_score()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        using var suite = new JudgeSuite(server.Endpoint, Answer, rows: JudgeSuite.Rows.Split('\n')[0]);
        server.Responder = _ => ServerReply.Text("""{"grade": 9, "reason": "off the scale"}""");

        await using var result = await suite.RunAsync();

        var score = result.Run.Rows.Single().Scores.Single();
        Assert.Null(score.Passed);
        Assert.Equal("the judge's answer was invalid twice: it does not match the schema: $.grade is 9, above the maximum 5", score.Error);
        Assert.Equal(Verdicts.Error, result.Run.Verdict);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task A_dropped_connection_and_a_429_during_a_run_are_retried_and_the_run_completes()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        using var suite = new JudgeSuite(server.Endpoint, Two);
        server.Enqueue(new ServerBehavior.Drop(), new ServerBehavior.Status(429, TimeSpan.FromMilliseconds(50), InMilliseconds: true));

        await using var result = await suite.RunAsync();

        Assert.Equal(0, result.Run.UndecidedScores);
        Assert.Equal(8, server.RequestCount); // 6 questions + 2 retries
        Assert.Equal(2L, result.Run.ModelCalls!.Endpoints.Single().Retries);
    }

    [Fact]
    public async Task Cached_rerun_makes_zero_calls_and_gives_the_same_scores()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        using var suite = new JudgeSuite(server.Endpoint, Two);
        List<(string, string, double?, bool?)> first;
        await using (var run = await suite.RunAsync())
        {
            first = Scores(run);
            Assert.Equal((6L, 0L), (run.Run.ModelCalls!.Requests, run.Run.ModelCalls.CacheHits));
        }

        server.ResetCounts();
        await using var rerun = await suite.RunAsync();

        Assert.Equal(0, server.RequestCount);
        Assert.Equal((0L, 6L), (rerun.Run.ModelCalls!.Requests, rerun.Run.ModelCalls.CacheHits));
        Assert.Equal(first, Scores(rerun));
        Assert.True(Directory.EnumerateFiles(suite.CacheDirectory, "*.json", SearchOption.AllDirectories).Count() == 6);
    }

    [Fact]
    public async Task Changing_the_prompt_file_invalidates_the_cache_for_that_evaluator_only()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        using var suite = new JudgeSuite(server.Endpoint, Two);
        await (await suite.RunAsync()).DisposeAsync();
        server.ResetCounts();
        suite.Write("evaluators/prompts/groundedness.md", "Judge each claim strictly.\n");

        await using var rerun = await suite.RunAsync();

        Assert.Equal(3, server.RequestCount);
        Assert.All(server.Requests, r => Assert.Equal("flywheel_groundedness", r.ResponseSchemaName));
    }

    [Fact]
    public async Task An_exhausted_budget_stops_calling_and_makes_the_verdict_error_with_one_diagnostic()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        using var suite = new JudgeSuite(server.Endpoint, Two);

        await using var result = await suite.RunAsync(maxCalls: 2, concurrency: 1);

        Assert.Equal(2, server.RequestCount);
        Assert.Equal(Verdicts.Error, result.Run.Verdict);
        Assert.Equal(4, result.Run.UndecidedScores);
        Assert.Equal(4, result.Run.Rows.SelectMany(r => r.Scores).Count(s => s.Error == "call budget exhausted" && s.Passed is null));
        var budget = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.CallBudgetExhausted);
        Assert.Contains("2 model request(s) (--max-calls)", budget.Message, StringComparison.Ordinal);
        Assert.Contains("4 score(s)", budget.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.EvaluatorError);
        Assert.True(result.Run.ModelCalls!.BudgetExhausted);
        Assert.Equal(2, result.Run.ModelCalls.MaxCalls);
    }

    [Fact]
    public async Task A_rerun_after_an_exhausted_budget_reuses_the_answers_it_got()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        using var suite = new JudgeSuite(server.Endpoint, Two);
        await (await suite.RunAsync(maxCalls: 4)).DisposeAsync();
        server.ResetCounts();

        await using var rerun = await suite.RunAsync(maxCalls: 2);

        Assert.Equal(2, server.RequestCount);
        Assert.Equal(0, rerun.Run.UndecidedScores);
        Assert.NotEqual(Verdicts.Error, rerun.Run.Verdict);
    }

    [Fact]
    public async Task Judge_repeats_ask_with_distinct_seeds_vote_and_report_disagreement_as_unstable()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        using var suite = new JudgeSuite(server.Endpoint, Answer);
        // The second sample of every question disagrees with the others.
        server.Responder = request => request.Seed == 2 ? ServerReply.Text("""{"grade": 1, "reason": "sampled differently"}""") : DeterministicJudge.Reply(request);

        await using var result = await suite.RunAsync(repeats: 3);

        Assert.Equal(9, server.RequestCount);
        Assert.Equal([1L, 2L, 3L], server.Requests.Select(r => r.Seed!.Value).Distinct().Order());
        Assert.All(server.Requests, r => Assert.Equal(0.7, r.Temperature!.Value, 3));
        var pay1 = result.Run.Rows.Single(r => r.Id == "pay-0001").Scores.Single();
        Assert.Equal((true, true), (pay1.Passed, pay1.Unstable));
        Assert.Equal(["pass", "fail", "pass"], pay1.Votes);
        var pay2 = result.Run.Rows.Single(r => r.Id == "pay-0002").Scores.Single();
        Assert.Equal((false, null), (pay2.Passed, pay2.Unstable)); // all three said grade 1
        Assert.Contains("votes 0 pass / 3 fail", pay2.Reason, StringComparison.Ordinal);
        Assert.Equal(["pay-0001", "pay-0003"], result.Run.Unstable!.Select(u => u.Id));
        Assert.Equal(3, result.Run.ModelCalls!.JudgeRepeats);

        server.ResetCounts();
        await using var rerun = await suite.RunAsync(repeats: 3);
        Assert.Equal(0, server.RequestCount); // each repeat is its own cache entry
    }

    [Fact]
    public async Task A_tie_between_repeats_fails_and_is_unstable()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        using var suite = new JudgeSuite(server.Endpoint, Answer, rows: JudgeSuite.Rows.Split('\n')[0]);
        server.Responder = request => request.Seed == 2 ? ServerReply.Text("""{"grade": 2, "reason": "no"}""") : DeterministicJudge.Reply(request);

        await using var result = await suite.RunAsync(repeats: 2);

        var score = result.Run.Rows.Single().Scores.Single();
        Assert.Equal((false, true), (score.Passed, score.Unstable));
        Assert.Equal(["pass", "fail"], score.Votes);
    }

    [Fact]
    public async Task A_judge_run_json_matches_the_run_schema_reads_back_and_shows_calls_and_unstable_rows_in_reports()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        using var suite = new JudgeSuite(server.Endpoint, Two);
        server.Responder = request => request.Seed != 3 ? DeterministicJudge.Reply(request)
            : ServerReply.Text(request.ResponseSchemaName == "flywheel_groundedness" ? """{"claims": []}""" : """{"grade": 1, "reason": "no"}""");

        await using var result = await suite.RunAsync(repeats: 3, maxCalls: 100);
        var path = Path.Combine(suite.Root, "run.json");
        await RunJson.WriteFileAsync(result.Run, path, Token);

        var schemas = await FlywheelSchemas.LoadAsync(Token);
        Assert.Empty(FlywheelSchemas.Validate(schemas.Run, await File.ReadAllTextAsync(path, Token)));
        var back = await RunJson.ReadFileAsync(path, "run.json", Token);
        Assert.Equal((18L, 100, 3), (back.ModelCalls!.Requests, back.ModelCalls.MaxCalls, back.ModelCalls.JudgeRepeats));
        Assert.NotEmpty(back.Unstable!);
        var console = new StringWriter();
        await new ConsoleReport().WriteAsync(result.Run, console, Token);
        Assert.Contains($"judge judge-model at {server.Endpoint.ToString().TrimEnd('/')}: 18 request(s), 0 cache hit(s), 0 retries, 0 failed call(s)", console.ToString(), StringComparison.Ordinal);
        Assert.Contains("unstable demo/pay-0001 · answer: votes pass, pass, fail", console.ToString(), StringComparison.Ordinal);
        var markdown = MarkdownReport.Render(result.Run);
        Assert.Contains("Unstable judge verdicts", markdown, StringComparison.Ordinal);
        Assert.Contains("budget 100 request(s)", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain(suite.Key, await File.ReadAllTextAsync(path, Token), StringComparison.Ordinal);
    }

    private static List<(string, string, double?, bool?)> Scores(RunResult result) =>
        result.Run.Rows.SelectMany(r => r.Scores.Select(s => (r.Id, s.Evaluator, s.Value, s.Passed))).ToList();
}
