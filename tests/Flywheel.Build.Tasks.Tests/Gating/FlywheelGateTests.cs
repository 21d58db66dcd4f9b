using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Flywheel.Build.Tasks.Tests.Support;
using LibGit2Sharp;

namespace Flywheel.Build.Tasks.Tests.Gating;

/// <summary><c>dotnet build -t:FlywheelGate</c> on a project that consumes the packed tasks.</summary>
public sealed class FlywheelGateTests(TaskPackage package)
{
    [Fact]
    public async Task Candidate_responses_fail_the_build_with_an_error_per_failed_gate_and_a_warning_per_regression()
    {
        // The base commit's suite records the good responses; HEAD is that commit, so --baseline-ref HEAD is the good run,
        // computed inside the task from git objects (LibGit2Sharp and its native libgit2 loaded from the package).
        var consumer = new ConsumerProject(package, "gate");
        consumer.Write("evaluators/flywheel.json", consumer.Read("evaluators/flywheel.json").Replace("samples/responses/candidate.jsonl", "samples/responses/baseline.jsonl", StringComparison.Ordinal));
        var head = CommitEverything(consumer.Root);

        var result = await consumer.BuildAsync("-t:FlywheelGate", "-p:FlywheelResponses=samples/responses/candidate.jsonl", "-p:FlywheelBaselineRef=HEAD");

        Assert.True(result.ExitCode != 0, result.ToString());
        var suite = Regex.Escape(consumer.SuitePath);
        var mortgageGate = consumer.LineOf("evaluators/flywheel.json", "\"cohort\": \"intent=mortgage_payoff\"");
        var intentGate = consumer.LineOf("evaluators/flywheel.json", "\"cohort\": \"intent=*\"");
        var dropGate = consumer.LineOf("evaluators/flywheel.json", "\"max_drop\"");
        Assert.Matches($@"{suite}\({mortgageGate}\): error FW7001: gate failed: intent=mortgage_payoff: pass rate [\d.]+% \(\d+/18\) is below the minimum 92\.0%", result.Output);
        Assert.Matches($@"{suite}\({intentGate}\): error FW7001: gate failed: intent=wire_transfer: pass rate", result.Output);
        Assert.Matches($@"{suite}\({dropGate}\): error FW7001: gate failed: \*: pass rate fell", result.Output);
        Assert.DoesNotMatch($@"error FW7001: gate failed: intent=(account_balance|card_dispute)", result.Output);

        var rows = Regex.Escape(consumer.RowsPath);
        var wireRow = consumer.LineOf("datasets/banking-support/rows.jsonl", "\"id\":\"wire-transfer-0001\"");
        Assert.Matches($@"{rows}\({wireRow},1\): warning FW7003: row 'wire-transfer-0001' passed on the baseline and fails now \[tools\]", result.Output);

        // The cohort table is in the build log (high importance shows at the default verbosity).
        Assert.Matches(@"cohort\s+rows\s+pass rate\s+95% CI", result.Output);
        Assert.Matches(@"✗ intent=wire_transfer\s+17\s", result.Output);

        var outDir = consumer.PathOf("obj/flywheel");
        Assert.True(File.Exists(Path.Combine(outDir, "report.md")), result.ToString());
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "run.json")));
        Assert.Equal("failed", run.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(head, run.RootElement.GetProperty("commit").GetString());
        Assert.StartsWith("HEAD@", run.RootElement.GetProperty("baseline").GetString(), StringComparison.Ordinal);
        var warnings = Regex.Matches(result.Output, @"warning FW7003: row '([^']+)'").Select(m => m.Groups[1].Value).Distinct().Count();
        var regressions = run.RootElement.GetProperty("regressions").EnumerateArray().Select(r => r.GetProperty("id").GetString()).Distinct().Count();
        Assert.Equal(regressions, warnings);
    }

    [Fact]
    public async Task Baseline_responses_pass_the_gate_in_the_out_of_process_NET_task_host()
    {
        // Runtime="NET" + TaskHostFactory is how Visual Studio 2026's .NET Framework MSBuild runs these tasks; here the
        // .NET SDK's MSBuild takes the same declaration, so the task's parameters and outputs cross a real process boundary.
        var consumer = new ConsumerProject(package, "taskhost");

        var result = await consumer.BuildAsync("-t:FlywheelGate", "-v:d", "-p:FlywheelTaskHostOutOfProcess=true",
            "-p:FlywheelResponses=samples/responses/baseline.jsonl", "-p:FlywheelOutputDir=gate-out");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"Launching task ""RunFlywheelGate"" from assembly ""[^""]+/tasks/net10\.0/Flywheel\.Build\.Tasks\.dll"" in an external task host with a runtime of ""NET""", result.Output);
        Assert.Matches(@"Task ""RunFlywheelGate"" ran in TaskHost process \d+", result.Output);
        Assert.Contains("Flywheel: verdict passed", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("error FW", result.Output, StringComparison.Ordinal);
        using var run = JsonDocument.Parse(File.ReadAllText(consumer.PathOf("gate-out/run.json")));
        Assert.Equal("passed", run.RootElement.GetProperty("verdict").GetString());
        Assert.True(File.Exists(consumer.PathOf("gate-out/report.md")));
    }

    [Fact]
    public async Task An_output_folder_that_is_a_file_fails_the_build_with_FW8001_before_the_run_not_a_task_crash()
    {
        var consumer = new ConsumerProject(package, "blocked");
        consumer.Write("gate-out", "a file, not a folder");

        var result = await consumer.BuildAsync("-t:FlywheelGate", "-p:FlywheelResponses=samples/responses/baseline.jsonl", "-p:FlywheelOutputDir=gate-out");

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains($"error FW8001: cannot write into this folder: '{consumer.PathOf("gate-out")}' is a file, not a folder", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("MSB4018", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Flywheel: verdict", result.Output, StringComparison.Ordinal);
        Assert.Equal("a file, not a folder", consumer.Read("gate-out"));
    }

    [Fact]
    public async Task Gate_on_build_runs_after_the_build_and_only_warns_for_insufficient_cohorts_when_told()
    {
        var consumer = new ConsumerProject(package, "onbuild");
        consumer.Write("evaluators/flywheel.json", consumer.Read("evaluators/flywheel.json").Replace("{ \"cohort\": \"intent=*\", \"min_pass_rate\": 0.85 }", "{ \"cohort\": \"intent=*\", \"min_pass_rate\": 0.85, \"min_rows\": 1000 }", StringComparison.Ordinal));
        var intentGate = consumer.LineOf("evaluators/flywheel.json", "\"min_rows\": 1000");

        var result = await consumer.BuildAsync("-p:FlywheelGateOnBuild=true", "-p:FlywheelFailOnInsufficient=false", "-p:FlywheelResponses=samples/responses/baseline.jsonl");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(consumer.PathOf("bin/Debug/net10.0/Consumer.dll")), result.ToString());
        Assert.Matches($@"{Regex.Escape(consumer.SuitePath)}\({intentGate}\): warning FW7002: gate cohort insufficient: intent=wire_transfer: 17 row\(s\), fewer than the 1000 the gate needs", result.Output);
        Assert.Contains("Flywheel: verdict passed", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("error FW", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_C_stops_a_running_gate_without_a_verdict()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "uses a named pipe (mkfifo) and SIGINT");
        var consumer = new ConsumerProject(package, "cancel");
        // Responses arrive through a named pipe, a line at a time, so the gate is provably mid-run when Ctrl+C comes.
        var fifo = consumer.PathOf("responses.fifo");
        await RunToolAsync("mkfifo", fifo);
        var responses = File.ReadAllLines(consumer.PathOf("samples/responses/baseline.jsonl"));
        using var build = consumer.StartBuild("-t:FlywheelGate", "-p:FlywheelResponses=responses.fifo");

        var opened = Task.Run(() => new FileStream(fifo, FileMode.Open, FileAccess.Write), TestContext.Current.CancellationToken);
        if (await Task.WhenAny(opened, Task.Delay(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken)) != opened)
        {
            // Release the blocked open before failing, so no thread is left waiting on the pipe.
            await using (new FileStream(fifo, FileMode.Open, FileAccess.Read))
            {
            }

            Assert.Fail("the gate never opened the responses pipe\n" + build.Output);
        }

        var written = 0;
        try
        {
            await using var pipe = new StreamWriter(await opened);
            for (; written < responses.Length && !build.HasExited; written++)
            {
                await pipe.WriteLineAsync(responses[written]);
                await pipe.FlushAsync(TestContext.Current.CancellationToken);
                if (written == 5)
                {
                    await RunToolAsync("kill", "-INT", build.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                // Keep feeding (slowly once Ctrl+C is sent) so the engine is never parked in a read and must notice the cancellation itself.
                await Task.Delay(written < 5 ? 100 : 250, TestContext.Current.CancellationToken);
            }
        }
        catch (IOException)
        {
            // Broken pipe: the build closed its end, i.e. it stopped reading responses.
        }

        var result = await build.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.True(written < responses.Length, $"the gate read all {responses.Length} responses: it was not stopped\n{result}");
        Assert.Contains("error FW7005: Flywheel: cancelled; no verdict", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Flywheel: verdict", result.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(consumer.PathOf("obj/flywheel/run.json")));
    }

    private static string CommitEverything(string root)
    {
        Repository.Init(root);
        using var repository = new Repository(root);
        Commands.Stage(repository, ["datasets", "evaluators", "samples"]);
        var author = new Signature("Test Author", "author@example.com", new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));
        return repository.Commit("sample suite on good responses", author, author).Sha;
    }

    private static async Task RunToolAsync(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', args)}: {error}");
    }
}
