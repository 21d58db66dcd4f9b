using System.Xml;
using Flywheel.Action.Tests.Support;

namespace Flywheel.Action.Tests.EndToEnd;

/// <summary>What <c>gate</c> and <c>report</c> print through the real process: junit.xml and report.md are whole whatever a row or a model says, and report.md keeps to --max-chars.</summary>
public sealed class ReportOutputTests
{
    [Fact]
    public async Task Control_characters_in_answers_and_responses_give_exit_1_and_whole_junit_and_markdown()
    {
        using var suite = new TempSuite();
        suite.Write("datasets/demo/rows.jsonl", TempSuite.ValidRows.Replace(
            "\"answers\":[\"Card disputes are resolved within 10 business days.\"]",
            "\"answers\":[\"Card\\u000b disputes\\u0001 are \\u009b resolved\\u001b[2J within 10 business days.\"]",
            StringComparison.Ordinal) + "\n");
        suite.Write("responses.jsonl", TempSuite.ValidResponses.Replace(
            "\"output\":\"Card disputes are resolved within 10 business days.\"",
            "\"output\":\"No\\u000b idea \\u0007\\u001b]0;title\\u0007 \\u0085\"",
            StringComparison.Ordinal) + "\n");

        var result = await suite.RunAsync("gate", "--format", "console,junit,md");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.DoesNotContain("Unhandled exception", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Stdout, c => (c < ' ' && c is not '\n' and not '\r') || c is >= '\u0080' and <= '\u009F');

        var junit = suite.Read(".flywheel/out/junit.xml");
        using (var reader = XmlReader.Create(new StringReader(junit)))
        {
            while (reader.Read())
            {
            }
        }

        Assert.Contains("Card␋ disputes␁ are \uFFFD resolved␛[2J", junit, StringComparison.Ordinal);

        var markdown = suite.Read(".flywheel/out/report.md");
        Assert.StartsWith("<!-- flywheel-report -->\n## ❌ Flywheel gate failed:", markdown, StringComparison.Ordinal);
        Assert.Contains("Card␋ disputes␁ are \uFFFD resolved␛\\[2J", markdown, StringComparison.Ordinal);
        Assert.EndsWith("</details>\n", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain(markdown, c => c < ' ' && c != '\n');
    }

    [Fact]
    public async Task Max_chars_bounds_report_md_from_gate_and_from_report_with_the_verdict_first()
    {
        using var suite = new TempSuite();
        suite.Write("evaluators/flywheel.json", ManyCohorts.Suite);
        suite.Write("datasets/demo/rows.jsonl", ManyCohorts.Rows(400, answer: new string('a', 5_000)) + "\n");
        suite.Write("responses.jsonl", ManyCohorts.Responses(400, "no") + "\n");

        var gate = await suite.RunAsync("gate", "--format", "md", "--max-chars", "3000");
        var whole = await FlywheelProcess.RunAsync(suite.Root, "report", suite.RunJson, "--format", "md");
        var report = await FlywheelProcess.RunAsync(suite.Root, "report", suite.RunJson, "--format", "md", "--max-chars", "1500", "--out", "small.md");

        Assert.True(gate.ExitCode == 1, gate.ToString());
        Assert.True(report.ExitCode == 0, report.ToString());
        foreach (var (markdown, max) in new[] { (suite.Read(".flywheel/out/report.md"), 3_000), (suite.Read("small.md"), 1_500), (whole.Stdout, 65_536) })
        {
            Assert.InRange(markdown.Length, max / 2, max);
            Assert.StartsWith("<!-- flywheel-report -->\n## ❌ Flywheel gate failed: 400 of 400 gate check(s) failed.\n", markdown, StringComparison.Ordinal);
            Assert.Contains("**Failing gates (400):** `intent=i00001`", markdown, StringComparison.Ordinal);
            Assert.Contains("… and 380 more in run.json", markdown, StringComparison.Ordinal);
            Assert.Equal(markdown.Split("<details>").Length, markdown.Split("</details>").Length);
        }
    }

    [Theory]
    [InlineData("junit", "5000", "--max-chars bounds the Markdown report; add md to --format")]
    [InlineData("md", "10", "--max-chars takes a whole number of at least 1000, not '10'")]
    public async Task Max_chars_without_md_or_below_the_minimum_is_a_usage_error(string format, string maxChars, string message)
    {
        using var suite = new TempSuite();

        var result = await suite.RunAsync("gate", "--format", format, "--max-chars", maxChars);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"error FW9001: {message}", result.Stderr, StringComparison.Ordinal);
    }
}
