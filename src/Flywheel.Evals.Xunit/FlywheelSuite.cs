using System.Collections.Concurrent;
using System.Text;
using Flywheel.Evals.Reports;
using Flywheel.Evals.Runs;
using Xunit;

namespace Flywheel.Evals.Xunit;

/// <summary>
/// The assembly fixture that runs each suite once, through the engine, and answers every case from that run.
/// Register it with <c>[assembly: AssemblyFixture(typeof(FlywheelSuite))]</c> and take it in the test class's constructor.
/// </summary>
public sealed class FlywheelSuite : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Config, string? Responses), Lazy<Task<RunResult>>> _runs = new();

    /// <summary>The run of a suite (run once, then shared); run.json, report.md and junit.xml are written under &lt;results directory&gt;/flywheel/&lt;responses name&gt;/.</summary>
    public Task<RunResult> RunAsync(string config, string? responses = null) =>
        _runs.GetOrAdd((config, responses), key => new Lazy<Task<RunResult>>(() => RunAndWriteAsync(key.Config, key.Responses))).Value;

    /// <summary>Where <see cref="RunAsync"/> writes run.json, report.md and junit.xml for a suite over a responses file.</summary>
    public static string OutputDirectory(string config, string? responses = null) =>
        Path.Combine(OutputRoot(), "flywheel", Path.GetFileNameWithoutExtension(responses ?? config));

    /// <summary>Fails with the evaluator's reason, the row's input and the response when the case did not pass.</summary>
    public async Task AssertRowAsync(string config, string dataset, string id, string evaluator, string? responses = null)
    {
        var result = await RunAsync(config, responses).ConfigureAwait(false);
        var row = result.Run.Rows.NotPassing.FirstOrDefault(r => r.Dataset == dataset && r.Id == id);
        if (row is null)
        {
            if (!result.Run.Rows.Any(r => r.Dataset == dataset && r.Id == id))
            {
                Assert.Fail($"{dataset}/{id} is not in the run (was the row removed after discovery?)");
            }

            return;
        }

        var score = row.Scores.FirstOrDefault(s => s.Evaluator == evaluator);
        if (score is null || score.Passed == true)
        {
            return;
        }

        var message = new StringBuilder();
        message.AppendLine(score.Error is null ? $"{evaluator}: {score.Reason}" : $"{evaluator} could not decide: {score.Error}");
        if (row.Input is { Count: > 0 } input)
        {
            message.AppendLine($"input: {Trim(input[^1].Content)}");
        }

        if (row.Response is { } response)
        {
            message.AppendLine($"response: {Trim(response.Output ?? "(no text)")}");
            if (response.ToolCalls is { Count: > 0 } calls)
            {
                message.AppendLine($"tool calls: {Trim(string.Join(", ", calls.Select(c => $"{c.Name}({c.Arguments?.GetRawText()})")))}");
            }
        }

        Assert.Fail(message.ToString().TrimEnd());
    }

    /// <summary>Fails with the cohort table line of every cohort that failed the gate.</summary>
    public async Task AssertGateAsync(string config, int gate, string? responses = null)
    {
        var result = await RunAsync(config, responses).ConfigureAwait(false);
        if (result.Run.Errors.Count > 0)
        {
            Assert.Fail($"the run could not decide ({result.Run.Errors.Count} input error(s)):\n{string.Join('\n', result.Run.Errors.Take(10))}");
        }

        var failed = result.Run.Gates.Where(g => g.Gate == gate && g.Blocking).ToList();
        if (failed.Count == 0)
        {
            return;
        }

        var lines = failed.Select(g =>
        {
            var cohort = result.Run.Cohorts.FirstOrDefault(c => c.Cohort == g.Cohort && c.Evaluator == g.Evaluator);
            var table = cohort is null ? string.Empty : $"  [{cohort.Cohort} · {cohort.Evaluator}: {cohort.Passed}/{cohort.Rows} = {ReportText.Percent(cohort.PassRate)}, 95% CI {ReportText.Interval(cohort.Ci95)}]";
            var rows = ReportText.FailingRows(result.Run, g, 3).Select(r => $"    {r.Id}: {Trim(ReportText.Why(r, g.Evaluator))}");
            return string.Join('\n', new[] { g.Message + table }.Concat(rows));
        });
        Assert.Fail(string.Join('\n', lines));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var run in _runs.Values.Where(r => r.IsValueCreated))
        {
            try
            {
                await (await run.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is Diagnostics.FlywheelInputException or IOException)
            {
                // The failure was reported by the tests that asked for the run.
            }
        }
    }

    private static async Task<RunResult> RunAndWriteAsync(string config, string? responses)
    {
        var options = SuiteLocation.Options(config, responses);
        var result = await SuiteRunner.RunAsync(options).ConfigureAwait(false);
        // One folder per responses file, so a suite run over baseline and candidate keeps both runs.
        try
        {
            await RunOutputs.WriteAsync(result.Run, OutputDirectory(config, responses), [new MarkdownReport(), new JUnitReport()], CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            // The run will not be handed out, so nothing else would release its spool.
            await result.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return result;
    }

    // FLYWHEEL_OUT wins; else the results directory the test platform was given (--results-directory, where TRX goes
    // too), else TestResults next to the test assembly (the platform's own default).
    private static string OutputRoot()
    {
        if (Environment.GetEnvironmentVariable("FLYWHEEL_OUT") is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }

        var args = Environment.GetCommandLineArgs();
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] is "--results-directory")
            {
                return Path.GetFullPath(args[i + 1]);
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "TestResults");
    }

    private static string Trim(string text) => Evaluators.GroundTruthMatchEvaluator.Trim(text, 300);
}
