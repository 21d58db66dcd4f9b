using System.Text.RegularExpressions;
using Flywheel.Action.Tests.Support;

namespace Flywheel.Action.Tests.EndToEnd;

/// <summary>No surface says "passed" for what did not pass: an edited run.json is refused, and an exit-2 run shows no gate as passed.</summary>
public sealed class VerdictHonestyTests
{
    [Fact]
    public async Task Report_refuses_a_run_whose_verdict_was_edited_to_passed()
    {
        using var suite = new TempSuite();
        suite.Generate(30, right: false);
        Assert.Equal(1, (await suite.RunAsync("gate")).ExitCode);
        File.WriteAllText(suite.RunJson, File.ReadAllText(suite.RunJson).Replace("\"verdict\": \"failed\"", "\"verdict\": \"passed\"", StringComparison.Ordinal));

        foreach (var format in new[] { "console", "md", "html", "junit" })
        {
            var report = await FlywheelProcess.RunAsync(suite.Root, "report", suite.RunJson, "--format", format);

            Assert.True(report.ExitCode == 2, report.ToString());
            Assert.Contains($"{suite.RunJson}(3,1): error FW4001: the run contradicts itself: its verdict is \"passed\" but its 3 blocking gate(s) of 4 make it \"failed\"", report.Stderr, StringComparison.Ordinal);
            Assert.Equal(string.Empty, report.Stdout);
        }
    }

    [Fact]
    public async Task Report_refuses_a_run_whose_gates_were_edited_along_with_its_verdict()
    {
        using var suite = new TempSuite();
        suite.Generate(30, right: false);
        Assert.Equal(1, (await suite.RunAsync("gate")).ExitCode);
        var text = File.ReadAllText(suite.RunJson).Replace("\"verdict\": \"failed\"", "\"verdict\": \"passed\"", StringComparison.Ordinal);
        text = text.Replace("\"status\": \"failed\"", "\"status\": \"passed\"", StringComparison.Ordinal).Replace("\"blocking\": true", "\"blocking\": false", StringComparison.Ordinal);
        File.WriteAllText(suite.RunJson, text);

        var report = await FlywheelProcess.RunAsync(suite.Root, "report", suite.RunJson, "--format", "console");

        Assert.True(report.ExitCode == 2, report.ToString());
        Assert.Matches(@"run\.json\(\d+,1\): error FW4001: the run contradicts itself: the gate on intent=a \(line 10 of the suite\) is passed, but its cohort's figures make it failed \(blocking\) \(intent=a: pass rate 0\.0% \(0/10\) is below the minimum 90\.0%\)", report.Stderr);
        Assert.Equal(3, Regex.Count(report.Stderr, "error FW4001"));
        Assert.DoesNotContain("passed", report.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Console_never_shows_a_gate_of_an_exit_2_run_as_passed()
    {
        using var suite = new TempSuite();
        // balance-0002 has no response: the run cannot decide, though intent=policy's figures meet its gate.
        var responses = TempSuite.ValidResponses.Split('\n');
        suite.Write("responses.jsonl", string.Join('\n', responses[0], responses[2]) + "\n");

        var gate = await suite.RunAsync("gate");
        var report = await FlywheelProcess.RunAsync(suite.Root, "report", suite.RunJson, "--format", "console");

        Assert.True(gate.ExitCode == 2, gate.ToString());
        Assert.True(report.ExitCode == 0, report.ToString());
        foreach (var stdout in new[] { gate.Stdout, report.Stdout })
        {
            Assert.Contains("Gates (not decided: the run has errors; figures so far)", stdout, StringComparison.Ordinal);
            Assert.Matches(@"\? undecided\s+intent=policy: pass rate 100\.0% \(1/1\)", stdout);
            Assert.DoesNotContain("passed", stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("✓", stdout, StringComparison.Ordinal);
            Assert.Contains("Flywheel gate could not decide", stdout, StringComparison.Ordinal);
        }
    }
}
