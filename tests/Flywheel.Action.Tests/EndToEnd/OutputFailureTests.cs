using System.Diagnostics;
using System.Text.Json;
using System.Xml.Linq;
using Flywheel.Action.Tests.Support;

namespace Flywheel.Action.Tests.EndToEnd;

/// <summary>
/// The output side, through the real process: a read-only, blocked or full output folder, two gates writing one
/// folder, and kill -9 while run.json is written. Each is one <c>error FWxxxx</c> line and exit 2 (never 134, never a
/// stack trace), and run.json is always a whole run: the previous one or the new one.
/// </summary>
public sealed class OutputFailureTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Read_only_out_folder_stops_the_gate_before_the_run_with_FW8001_and_keeps_the_previous_run()
    {
        using var suite = new TempSuite();
        var outDir = Path.Combine(suite.Root, "out");
        Assert.Equal(0, (await suite.RunAsync("gate", "--out", outDir)).ExitCode);
        var runPath = Path.Combine(outDir, "run.json");
        var before = await File.ReadAllBytesAsync(runPath, Token);

        ProcessResult gate;
        ProcessResult report;
        using (new ImmutableFolder(outDir))
        {
            gate = await suite.RunAsync("gate", "--out", outDir);
            report = await FlywheelProcess.RunAsync(suite.Root, "report", runPath, "--format", "md", "--out", Path.Combine(outDir, "report.md"));
        }

        AssertOneError(gate, $"{outDir}: error FW8001: cannot write into this folder: permission denied");
        Assert.DoesNotContain("Flywheel ·", gate.Stdout, StringComparison.Ordinal);
        AssertOneError(report, $"{Path.Combine(outDir, "report.md")}: error FW8001: cannot write this file: permission denied; the previous file, if any, is unchanged");
        Assert.Equal(before, await File.ReadAllBytesAsync(runPath, Token));
        Assert.Equal(["run.json"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Out_that_is_a_file_is_FW8001_naming_the_file_for_gate_and_report()
    {
        using var suite = new TempSuite();
        Assert.Equal(0, (await suite.RunAsync("gate")).ExitCode);
        suite.Write("out", "a file, not a folder");
        var blocker = Path.Combine(suite.Root, "out");

        var gate = await suite.RunAsync("gate", "--out", "out");
        var report = await FlywheelProcess.RunAsync(suite.Root, "report", suite.RunJson, "--format", "junit", "--out", "out/junit.xml");

        AssertOneError(gate, $"{blocker}: error FW8001: cannot write into this folder: '{blocker}' is a file, not a folder");
        AssertOneError(report, $"{Path.Combine(blocker, "junit.xml")}: error FW8001: cannot write this file: '{blocker}' is a file, not a folder");
        Assert.Equal("a file, not a folder", suite.Read("out"));
    }

    [Fact]
    public async Task Full_disk_after_the_run_prints_the_verdict_then_FW8001_and_keeps_the_previous_run_json_whole()
    {
        using var disk = new SmallDisk("256k");
        using var suite = new TempSuite();
        Assert.Equal(0, (await suite.RunAsync("gate", "--out", disk.Path)).ExitCode);
        var runPath = Path.Combine(disk.Path, "run.json");
        var before = await File.ReadAllBytesAsync(runPath, Token);

        // 400 failing rows are kept whole in run.json: about 600 kB, more than the disk holds.
        suite.Generate(400, right: false);
        var result = await suite.RunAsync("gate", "--out", disk.Path);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{runPath}: error FW8001: cannot write this file: no space left on the device; the previous file, if any, is unchanged", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("flywheel: the run was not recorded (1 error); exit code 2", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Flywheel gate failed", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("run written to", result.Stdout, StringComparison.Ordinal);
        AssertNoCrash(result);
        Assert.Equal(before, await File.ReadAllBytesAsync(runPath, Token));
        Assert.DoesNotContain(Directory.GetFiles(disk.Path), f => Path.GetFileName(f).StartsWith('.'));
    }

    [Fact]
    public async Task Full_temp_folder_is_FW8001_on_the_row_spool_not_a_crash()
    {
        using var disk = new SmallDisk("256k");
        using var suite = new TempSuite();
        suite.Generate(400, right: false);
        var outDir = Path.Combine(suite.Root, "out");

        var result = await FlywheelProcess.RunAsync(suite.Root, new Dictionary<string, string?> { ["TMPDIR"] = disk.Path }, "gate", "--root", suite.Root, "--out", outDir);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Matches($@"{disk.Path}/flywheel-rows-[0-9a-f]+\.jsonl: error FW8001: cannot write the run's temporary row file: no space left on the device; point TMPDIR", result.Stderr);
        AssertNoCrash(result);
        Assert.False(File.Exists(Path.Combine(outDir, "run.json")), "a run that could not finish writes no run.json");
    }

    [Fact]
    public async Task Two_gates_writing_one_out_folder_at_once_both_finish_and_leave_whole_files()
    {
        using var suite = new TempSuite();
        const int Rows = 3_000;
        suite.Generate(Rows, right: true, "right.jsonl");
        suite.Generate(Rows, right: false, "wrong.jsonl");
        var outDir = Path.Combine(suite.Root, "out");

        for (var round = 0; round < 3; round++)
        {
            var passing = suite.RunAsync("gate", "--responses", "right.jsonl", "--out", outDir, "--format", "console,md,junit", "--quiet");
            var failing = suite.RunAsync("gate", "--responses", "wrong.jsonl", "--out", outDir, "--format", "console,md,junit", "--quiet");
            var results = await Task.WhenAll(passing, failing);

            Assert.True(results[0].ExitCode == 0, results[0].ToString());
            Assert.True(results[1].ExitCode == 1, results[1].ToString());
            var verdict = AssertWholeRun(await File.ReadAllBytesAsync(Path.Combine(outDir, "run.json"), Token), Rows);
            Assert.Contains(verdict, new[] { "passed", "failed" });
            Assert.Equal("testsuites", XDocument.Load(Path.Combine(outDir, "junit.xml")).Root!.Name.LocalName);
            Assert.StartsWith("<!-- flywheel-report -->", await File.ReadAllTextAsync(Path.Combine(outDir, "report.md"), Token), StringComparison.Ordinal);
            Assert.DoesNotContain(Directory.GetFiles(outDir), f => Path.GetFileName(f).StartsWith('.'));
        }

        var report = await FlywheelProcess.RunAsync(suite.Root, "report", Path.Combine(outDir, "run.json"), "--format", "console");
        Assert.True(report.ExitCode == 0, report.ToString());
    }

    [Fact]
    public async Task Kill_9_while_run_json_is_written_leaves_the_previous_or_the_new_run_whole_and_readable()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "kill -9 and the temporary file's name are checked on Linux");
        const int Rows = 10_000;
        const int Kills = 8;
        using var suite = new TempSuite();
        suite.Generate(Rows, right: false);
        var outDir = Path.Combine(suite.Root, "out");
        var runPath = Path.Combine(outDir, "run.json");
        var first = await suite.RunAsync("gate", "--out", outDir, "--quiet");
        Assert.True(first.ExitCode == 1, first.ToString());
        var current = await File.ReadAllBytesAsync(runPath, Token);

        var midWrite = 0;
        var replaced = 0;
        var truncated = new List<long>();
        for (var kill = 0; kill < Kills; kill++)
        {
            var leftovers = Temporaries(outDir).ToHashSet();
            using var gate = FlywheelProcess.Start(suite.Root, "gate", "--root", suite.Root, "--out", outDir, "--quiet");
            var output = Task.WhenAll(gate.StandardOutput.ReadToEndAsync(Token), gate.StandardError.ReadToEndAsync(Token));
            // Kill at a different point of each write, from 6% to 94% of the previous run's size. The watching thread
            // kills, so no scheduling delay stands between seeing the bytes and the kill.
            var killAt = (long)(current.Length * (kill + 0.5) / Kills);
            var temporary = await Task.Run(() => KillWhenWriting(outDir, leftovers, gate, killAt), Token);
            Assert.True(temporary is not null, $"the gate ended before it wrote run.json (kill {kill})\n{string.Join('\n', await output)}");
            await gate.WaitForExitAsync(Token);
            await output;

            var now = await File.ReadAllBytesAsync(runPath, Token);
            if (now.AsSpan().SequenceEqual(current))
            {
                // The previous run survived; the new one died in its temporary file, which never had the target's name.
                if (File.Exists(temporary))
                {
                    midWrite++;
                    truncated.Add(new FileInfo(temporary).Length);
                }

                continue;
            }

            Assert.Equal("failed", AssertWholeRun(now, Rows));
            current = now;
            replaced++;
        }

        Assert.True(truncated.Count(length => length > 0) >= Kills / 2, $"only {midWrite} of {Kills} kills landed while run.json was being written, cut at {string.Join(", ", truncated)} bytes ({replaced} landed after it was replaced)");
        var report = await FlywheelProcess.RunAsync(suite.Root, "report", runPath, "--format", "md");
        Assert.True(report.ExitCode == 0, report.ToString());
        Assert.Contains("Flywheel gate failed", report.Stdout, StringComparison.Ordinal);
        TestContext.Current.TestOutputHelper?.WriteLine($"{midWrite} of {Kills} kills mid-write (temporary files cut at {string.Join(", ", truncated)} of {current.Length} bytes), {replaced} after the rename");
    }

    private static IEnumerable<string> Temporaries(string outDir) =>
        Directory.Exists(outDir) ? Directory.EnumerateFiles(outDir, ".run.json.*.tmp") : [];

    /// <summary>Waits until the gate's temporary run.json holds <paramref name="bytes"/>, then kills the gate (SIGKILL); null when the gate ended before writing.</summary>
    private static string? KillWhenWriting(string outDir, HashSet<string> leftovers, Process gate, long bytes)
    {
        string? temporary = null;
        while (!gate.HasExited)
        {
            temporary ??= Temporaries(outDir).FirstOrDefault(t => !leftovers.Contains(t));
            if (temporary is not null)
            {
                var file = new FileInfo(temporary);
                if (!file.Exists || file.Length >= bytes)
                {
                    // Grown far enough, or already renamed: either way this is the moment to kill.
                    gate.Kill();
                    return temporary;
                }

                Thread.Yield();
                continue;
            }

            Thread.Sleep(1);
        }

        return temporary;
    }

    /// <summary>Parses run.json whole (every row present) and returns its verdict.</summary>
    private static string AssertWholeRun(byte[] json, int rows)
    {
        using var run = JsonDocument.Parse(json);
        Assert.Equal("flywheel.run/v1", run.RootElement.GetProperty("schema").GetString());
        Assert.Equal(rows, run.RootElement.GetProperty("rows").GetArrayLength());
        return run.RootElement.GetProperty("verdict").GetString()!;
    }

    private static void AssertOneError(ProcessResult result, string line)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(line, result.Stderr.Split('\n').Select(l => l.TrimEnd('\r')));
        Assert.Single(result.Stderr.Split('\n'), l => l.Contains(": error FW", StringComparison.Ordinal));
        AssertNoCrash(result);
    }

    private static void AssertNoCrash(ProcessResult result)
    {
        Assert.DoesNotContain("Unhandled exception", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("FW9999", result.Stderr, StringComparison.Ordinal);
    }
}
