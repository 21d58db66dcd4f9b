using System.Globalization;
using Flywheel.Testing.Fuzz;

namespace Flywheel.Action.Tests.Fuzzing;

/// <summary>Thousands of mutated copies of the sample's files, each read by the command line in this process: none may crash, print a stack trace or leave a partial file in --out.</summary>
/// <remarks>
/// The stream is fixed (seed <see cref="DefaultSeed"/>) so CI is reproducible; FLYWHEEL_FUZZ_SEED picks another and
/// FLYWHEEL_FUZZ_COUNT another length. A failure prints one line per way of failing (seed, index, file, mutation)
/// and saves that input under TestResults/fuzz/. bench/fuzz/run.sh runs the same cases through the real process.
/// </remarks>
public sealed class MutatedInputTests
{
    private const int DefaultSeed = 20261203;
    private const int DefaultCount = 2000;

    // Every 6th row of the sample (15 rows, every intent): a case costs a sixth of the full sample's time.
    private const int RowStride = 6;

    [Fact]
    public async Task Mutated_sample_files_end_in_exit_0_1_or_2_without_a_stack_trace_or_a_partial_file()
    {
        var seed = FromEnvironment("FLYWHEEL_FUZZ_SEED", DefaultSeed);
        var count = FromEnvironment("FLYWHEEL_FUZZ_COUNT", DefaultCount);
        var cancellationToken = TestContext.Current.CancellationToken;
        var scratch = Directory.CreateTempSubdirectory("flywheel-fuzz-").FullName;
        try
        {
            var sample = await FuzzSample.CreateAsync(RepositoryRoot.Path, scratch, InProcessAsync, RowStride, cancellationToken);
            // A case takes well under a second; a command still running after 30 s is hung, and one hung case is enough.
            var options = new FuzzOptions { Seed = seed, Count = count, Scratch = scratch, Workers = Environment.ProcessorCount, Timeout = TimeSpan.FromSeconds(30) };
            var summary = await FuzzRunner.RunAsync(sample, options, InProcessAsync, onResult: null, cancellationToken);

            TestContext.Current.SendDiagnosticMessage(summary.ToString());
            var saved = Path.Combine(AppContext.BaseDirectory, "TestResults", "fuzz");
            foreach (var failure in summary.Failures)
            {
                FuzzWorkspace.Save(sample, failure.Example, saved);
            }

            Assert.Equal(count, summary.Inputs);
            Assert.True(summary.Failures.Count == 0, $"{summary}failing inputs saved under {saved}");
        }
        finally
        {
            TempFolder.DeleteQuietly(scratch);
        }
    }

    [Fact]
    public async Task Same_seed_and_index_make_the_same_input_and_the_stream_covers_every_target_and_mutation()
    {
        var scratch = Directory.CreateTempSubdirectory("flywheel-fuzz-").FullName;
        try
        {
            var sample = await FuzzSample.CreateAsync(RepositoryRoot.Path, scratch, InProcessAsync, RowStride, TestContext.Current.CancellationToken);
            var inputs = Enumerable.Range(0, DefaultCount).Select(i => FuzzInput.Create(sample, DefaultSeed, i)).ToList();

            var again = FuzzInput.Create(sample, DefaultSeed, 1234);
            Assert.Equal(inputs[1234].Reproduction, again.Reproduction);
            Assert.Equal(inputs[1234].Mutation.Bytes, again.Mutation.Bytes);
            Assert.NotEqual(inputs[1234].Mutation.Bytes, FuzzInput.Create(sample, DefaultSeed + 1, 1234).Mutation.Bytes);
            Assert.Equal(Enum.GetValues<FuzzTarget>().Order(), inputs.Select(i => i.Target).Distinct().Order());
            Assert.Equal(Enum.GetValues<FuzzCommand>().Order(), inputs.Select(i => i.Command).Distinct().Order());
            Assert.Equal(16, inputs.Select(i => i.Mutation.Kind).Distinct().Count());
            Assert.All(inputs, i => Assert.False(i.Mutation.Bytes.AsSpan().SequenceEqual(sample.Original(i.Target)), i.Reproduction));
        }
        finally
        {
            TempFolder.DeleteQuietly(scratch);
        }
    }

    [Fact]
    public async Task The_checks_catch_crashes_stack_traces_internal_errors_hangs_and_partial_or_stray_files()
    {
        var scratch = Directory.CreateTempSubdirectory("flywheel-fuzz-").FullName;
        try
        {
            var cancellationToken = TestContext.Current.CancellationToken;
            var sample = await FuzzSample.CreateAsync(RepositoryRoot.Path, scratch, InProcessAsync, RowStride, cancellationToken);
            using var workspace = new FuzzWorkspace(sample, Path.Combine(scratch, "checked"));
            var gate = new FuzzInput(DefaultSeed, 0, RowStride, FuzzTarget.Rows, FuzzCommand.Gate, "console,json,junit", new Mutation("none", "unchanged", sample.Original(FuzzTarget.Rows)));

            // Each fake command line misbehaves in one way; the real one (for the read-back of run.json) behaves.
            async Task<IReadOnlyList<string>> ClassesAsync(Func<string, Task<CommandResult>> gateRun)
            {
                var result = await workspace.RunAsync(
                    gate,
                    (args, cwd, ct) => args[0] == "gate" ? gateRun(args[args.ToList().IndexOf("--out") + 1]) : InProcessAsync(args, cwd, ct),
                    TimeSpan.FromSeconds(2),
                    cancellationToken);
                return result.Problems.Select(p => p.Class).ToList();
            }

            Assert.Empty(await ClassesAsync(async _ => new CommandResult(1, "1 gate failed", string.Empty)));
            Assert.Equal(["crash: System.InvalidOperationException at Flywheel.Evals.Datasets.RowBuilder.String"], await ClassesAsync(_ => Task.FromResult(
                new CommandResult(134, string.Empty, string.Empty, Crash: "System.InvalidOperationException: Cannot transcode\n   at Flywheel.Evals.Datasets.RowBuilder.String(JsonElement e)\n   at Flywheel.Evals.Runs.SuiteRunner.RunAsync()"))));
            Assert.Equal(["exit 134: System.InvalidOperationException at Flywheel.Evals.Targets.RecordedTarget.Parse"], await ClassesAsync(_ => Task.FromResult(
                new CommandResult(134, string.Empty, "Unhandled exception. System.InvalidOperationException: bad\n   at Flywheel.Evals.Targets.RecordedTarget.Parse(ReadOnlyMemory`1 utf8)\n"))));
            Assert.Equal(["internal error FW9999: NullReferenceException"], await ClassesAsync(_ => Task.FromResult(
                new CommandResult(2, string.Empty, "flywheel: error FW9999: internal error (NullReferenceException); the trace is in /tmp/x.log\n"))));
            Assert.Equal(["exception named in output: FW5001 ArgumentException"], await ClassesAsync(_ => Task.FromResult(
                new CommandResult(2, string.Empty, "rows.jsonl(3,1): error FW5001: row 'a': evaluator 'answer' could not decide: ArgumentException: bad\n"))));
            Assert.Equal(["exit 2 without an error FWxxxx line"], await ClassesAsync(_ => Task.FromResult(new CommandResult(2, string.Empty, "something went wrong\n"))));
            Assert.Equal(["timed out"], await ClassesAsync(async _ =>
            {
                await Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None);
                return new CommandResult(2, string.Empty, "flywheel: cancelled; no verdict");
            }));
            Assert.Equal(["run.json in --out is not whole JSON"], await ClassesAsync(async outDir =>
            {
                await File.WriteAllTextAsync(Path.Combine(outDir, "run.json"), "{\"schema\": \"flywheel.run/v1\", \"verdict\": \"fai", CancellationToken.None);
                return new CommandResult(1, string.Empty, string.Empty);
            }));
            Assert.Equal(["stray file left in --out", "junit.xml in --out is not whole"], await ClassesAsync(async outDir =>
            {
                await File.WriteAllTextAsync(Path.Combine(outDir, ".run.json.0123.tmp"), "{", CancellationToken.None);
                await File.WriteAllTextAsync(Path.Combine(outDir, "junit.xml"), "<testsuites><testsuite>", CancellationToken.None);
                return new CommandResult(1, string.Empty, string.Empty);
            }));
        }
        finally
        {
            TempFolder.DeleteQuietly(scratch);
        }
    }

    /// <summary>The command line in this process, as Program.cs runs it; an exception that escapes it is what would have killed the process.</summary>
    private static async Task<CommandResult> InProcessAsync(IReadOnlyList<string> args, string workingDirectory, CancellationToken cancellationToken)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        try
        {
            var exit = await FlywheelCli.RunAsync(args, stdout, stderr, workingDirectory, cancellationToken);
            return new CommandResult(exit, stdout.ToString(), stderr.ToString());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped from outside (the case's time limit): the caller reports it as hung, not as a crash.
            return new CommandResult(2, stdout.ToString(), stderr.ToString());
        }
        catch (Exception ex)
        {
            return new CommandResult(134, stdout.ToString(), stderr.ToString(), Crash: ex.ToString());
        }
    }

    private static int FromEnvironment(string name, int fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text
            ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture)
            : fallback;
}
