using System.Globalization;
using System.Text;
using Flywheel.Action.Tests.Support;

namespace Flywheel.Action.Tests.GitHub;

/// <summary>GitHub shows 10 errors and 10 warnings per step: the action gives no more, the most important first, and one notice says where the rest are (finding 6).</summary>
public sealed class AnnotationTests
{
    private const int Cohorts = 4_000;

    private const string Suite = """
        {
          "datasets": ["datasets/demo"],
          "target": { "kind": "recorded", "responses": "responses.jsonl" },
          "evaluators": [ { "name": "answer", "kind": "ground-truth-match", "method": "exact" } ],
          "gates": [
            { "cohort": "intent=*", "min_pass_rate": 0.9 },
            { "cohort": "intent=*", "min_pass_rate": 0.0, "min_rows": 2, "on_insufficient": "warn" }
          ]
        }
        """;

    [Fact]
    public async Task Four_thousand_failing_cohorts_give_ten_errors_ten_warnings_and_one_notice_that_says_where_the_rest_are()
    {
        using var repository = PullRequestRepository.Create(
            Lines(i => $$"""{"id":"r-{{i:D4}}","output":"no"}"""),
            baseSuite: Suite,
            baseRows: Lines(i => $$$"""{"id":"r-{{{i:D4}}}","tags":{"intent":"c{{{i:D4}}}"},"input":[{"role":"user","content":"q{{{i}}}"}],"expected":{"answers":["yes"]}}"""),
            baseResponses: Lines(i => $$"""{"id":"r-{{i:D4}}","output":"yes"}"""));
        using var runner = new ActionRunner(repository.Root);
        runner.WritePullRequestEvent(repository.BaseSha, repository.HeadSha);
        runner.Inputs["comment"] = "false";

        var result = await runner.RunAsync();

        Assert.True(result.ExitCode == 1, result.ToString()[..Math.Min(4000, result.ToString().Length)]);
        Assert.Equal(Cohorts.ToString(CultureInfo.InvariantCulture), result.Outputs["regressions"]);
        var errors = result.Commands.Where(c => c.StartsWith("::error", StringComparison.Ordinal)).ToList();
        var warnings = result.Commands.Where(c => c.StartsWith("::warning", StringComparison.Ordinal)).ToList();
        var notice = Assert.Single(result.Commands, c => c.StartsWith("::notice", StringComparison.Ordinal));

        // Blocking gates first: the ten errors are all failed gates, none of the 4,000 regressions.
        Assert.Equal(10, errors.Count);
        Assert.All(errors, e => Assert.Contains("title=Flywheel gate failed%3A intent=c", e, StringComparison.Ordinal));
        Assert.Equal(10, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("(warning only)", w, StringComparison.Ordinal));
        Assert.Contains("7990 more errors and 3990 more warnings than GitHub shows (10 of each per step)", notice, StringComparison.Ordinal);
        Assert.Contains("workflow artifact 'flywheel-evaluators_flywheel.json'", notice, StringComparison.Ordinal);

        // Where the notice points, they are: every one, after the heading, as plain log lines with workflow commands stopped.
        var log = result.Process.Stdout;
        var listed = log[log.IndexOf("Flywheel annotations GitHub would not show:", StringComparison.Ordinal)..];
        Assert.Equal(7990, Occurrences(listed, "error: Flywheel "));
        Assert.Equal(3990, Occurrences(listed, "warning: Flywheel gate insufficient"));
        Assert.Contains("datasets/demo/rows.jsonl(4000): error: Flywheel regression: demo/r-4000: Row 'r-4000' passed on the baseline and fails now", listed, StringComparison.Ordinal);
        Assert.StartsWith("::stop-commands::", listed.Split('\n')[1], StringComparison.Ordinal);
    }

    private static string Lines(Func<int, string> line)
    {
        var text = new StringBuilder();
        for (var i = 1; i <= Cohorts; i++)
        {
            text.Append(line(i)).Append('\n');
        }

        return text.ToString().TrimEnd('\n');
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
