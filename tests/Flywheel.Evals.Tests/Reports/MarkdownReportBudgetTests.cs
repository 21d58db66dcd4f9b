using System.Text;
using System.Text.RegularExpressions;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Reports;
using Flywheel.Evals.Tests.Support;

namespace Flywheel.Evals.Tests.Reports;

/// <summary>The Markdown report always fits its size (a GitHub comment, the 1 MiB job summary, --max-chars) and always opens with the verdict, the counts and the failed gates; what does not fit is left out and named, never cut mid-way.</summary>
public sealed partial class MarkdownReportBudgetTests
{
    private const int MiB = 1 << 20;

    private static readonly string HundredKilobytes = string.Concat(Enumerable.Repeat("The answer goes on and on | with `ticks` and <b>tags</b>. ", 1_750))[..100_000];

    [Fact]
    public void Comment_of_5000_failing_rows_in_2_cohorts_with_100_KB_answers_fits_and_opens_with_the_verdict()
    {
        var run = TestRuns.Failing(5_000, 2, HundredKilobytes);

        var md = new RenderedMarkdown(MarkdownReport.Render(run));

        Assert.InRange(md.Text.Length, 30_000, MarkdownReport.DefaultMaxChars);
        AssertOpening(md, "## ❌ Flywheel gate failed: 2 of 2 gate check(s) failed.", "5,000 rows · 5,000 failing · 5,000 regression(s)", 2);
        Assert.Contains(md.Lines, l => l.StartsWith("### Regressions (5,000)", StringComparison.Ordinal));
        Assert.Contains(md.Lines, l => l.StartsWith("<details><summary>Failing rows (", StringComparison.Ordinal) && l.Contains("of 5,000 shown)", StringComparison.Ordinal));
        Assert.Contains("of 5,000 failing rows", Shortened(md), StringComparison.Ordinal);
        md.AssertWellFormed();
    }

    [Fact]
    public void Comment_of_4000_failing_cohorts_names_the_first_20_failed_gates_and_how_many_more()
    {
        var run = TestRuns.Failing(4_000, 4_000, "wrong");

        var md = new RenderedMarkdown(MarkdownReport.Render(run));

        Assert.True(md.Text.Length <= MarkdownReport.DefaultMaxChars, $"{md.Text.Length} characters");
        AssertOpening(md, "## ❌ Flywheel gate failed: 4,000 of 4,000 gate check(s) failed.", "4,000 rows · 4,000 failing · 4,000 regression(s)", 4_000);
        var gates = md.Lines.Single(l => l.StartsWith("**Failing gates", StringComparison.Ordinal));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"intent=i{i:00000}"), CodeSpan().Matches(gates).Select(m => m.Groups[1].Value));
        Assert.EndsWith(", … and 3,980 more in run.json", gates, StringComparison.Ordinal);
        Assert.Contains(md.Lines, l => l.StartsWith("### Regressions (4,000)", StringComparison.Ordinal));
        Assert.Contains("of 4,001 cohorts", Shortened(md), StringComparison.Ordinal);
        md.AssertWellFormed();
    }

    [Fact]
    public void Comment_of_200_failing_cohorts_keeps_the_regressions_after_the_gate_table()
    {
        var run = TestRuns.Failing(2_000, 200, HundredKilobytes);

        var md = new RenderedMarkdown(MarkdownReport.Render(run));

        Assert.True(md.Text.Length <= MarkdownReport.DefaultMaxChars, $"{md.Text.Length} characters");
        var gateTable = md.Lines.ToList().FindIndex(l => l.StartsWith("### Failed gates", StringComparison.Ordinal));
        var regressions = md.Lines.ToList().FindIndex(l => l.StartsWith("### Regressions (2,000)", StringComparison.Ordinal));
        Assert.InRange(gateTable, 1, regressions - 1);
        Assert.Contains(md.Lines, l => l.StartsWith("| `demo/row-00001` | `answer` | The answer goes on", StringComparison.Ordinal));
        md.AssertWellFormed();
    }

    [Fact]
    public void Job_summary_takes_up_to_1_MiB_and_shows_more_than_the_comment()
    {
        var run = TestRuns.Failing(5_000, 2, HundredKilobytes);

        var summary = new RenderedMarkdown(MarkdownReport.Render(run, int.MaxValue, MiB));
        var comment = MarkdownReport.Render(run);

        var bytes = Encoding.UTF8.GetByteCount(summary.Text);
        Assert.InRange(bytes, 4 * MarkdownReport.DefaultMaxChars, MiB);
        Assert.True(Rows(summary) > 4 * Rows(new RenderedMarkdown(comment)), $"{Rows(summary)} rows in the summary");
        AssertOpening(summary, "## ❌ Flywheel gate failed: 2 of 2 gate check(s) failed.", "5,000 rows · 5,000 failing · 5,000 regression(s)", 2);
        summary.AssertWellFormed();
    }

    [Theory]
    [InlineData(MarkdownReport.MinMaxChars)]
    [InlineData(2_500)]
    [InlineData(10_000)]
    public void Smaller_budget_gives_less_detail_never_a_cut(int maxChars)
    {
        var run = TestRuns.Failing(1_000, 1_000, HundredKilobytes);

        var md = new RenderedMarkdown(MarkdownReport.Render(run, maxChars));

        Assert.True(md.Text.Length <= maxChars, $"{md.Text.Length} characters");
        Assert.StartsWith(MarkdownReport.Marker + "\n## ❌ Flywheel gate failed: 1,000 of 1,000 gate check(s) failed.\n", md.Text, StringComparison.Ordinal);
        Assert.Contains("**Failing gates (1,000):** `intent=i00001`", md.Text, StringComparison.Ordinal);
        Assert.Contains("more in run.json", md.Text, StringComparison.Ordinal);
        md.AssertWellFormed();
    }

    [Fact]
    public void Every_level_of_detail_is_well_formed_and_each_is_smaller_than_the_one_before()
    {
        var hostile = string.Join(" ", MarkdownReportEscapingTests.Hostile.Select(h => h.Data));
        var run = TestRuns.Build(Enumerable.Range(1, 600).Select(i => new TestRow($"r-{i:0000}`|", $"c{i % 300}{hostile[..(i % 40)]}", hostile)).ToList());
        var document = new MarkdownRunDocument(run);

        var sizes = new List<int>();
        foreach (var detail in MarkdownDetail.Ladder)
        {
            var md = new RenderedMarkdown(document.Render(detail));
            md.AssertWellFormed();
            Assert.StartsWith(MarkdownReport.Marker + "\n## ❌ Flywheel gate failed:", md.Text, StringComparison.Ordinal);
            sizes.Add(md.Text.Length);
        }

        Assert.Equal(sizes.OrderDescending(), sizes);
    }

    [Fact]
    public void Passing_run_that_fits_is_not_shortened()
    {
        var run = TestRuns.Build(Enumerable.Range(1, 50).Select(i => new TestRow($"r-{i:00}", "a", "fine", Passed: true)).ToList(), baseline: false);

        var markdown = MarkdownReport.Render(run);

        Assert.StartsWith(MarkdownReport.Marker + "\n## ✅ Flywheel gate passed: all 1 gate check(s) passed over 50 row(s).\n", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Shortened", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("more in run.json", markdown, StringComparison.Ordinal);
        Assert.Contains("· no baseline", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Input_error_report_fits_and_closes_its_code_fence()
    {
        var diagnostics = Enumerable.Range(1, 5_000)
            .Select(i => new Diagnostic("datasets/demo/rows.jsonl", i, 1, DiagnosticCodes.InvalidJson, $"invalid JSON ```` near '{HundredKilobytes[..2_000]}'"))
            .ToList();

        var md = new RenderedMarkdown(MarkdownReport.RenderInputErrors(diagnostics, MarkdownReport.DefaultMaxChars));

        Assert.True(md.Text.Length <= MarkdownReport.DefaultMaxChars, $"{md.Text.Length} characters");
        Assert.StartsWith(MarkdownReport.Marker + "\n## ⚠️ Flywheel gate could not run: 5,000 input error(s)", md.Text, StringComparison.Ordinal);
        Assert.Contains("more in the log", md.Text, StringComparison.Ordinal);
        Assert.Contains(md.Lines, l => l == "`````");
        md.AssertWellFormed();
    }

    private static void AssertOpening(RenderedMarkdown md, string heading, string counts, int failedGates)
    {
        Assert.Equal(MarkdownReport.Marker, md.Lines[0]);
        Assert.Equal(heading, md.Lines[1]);
        Assert.StartsWith(counts, md.Lines[3], StringComparison.Ordinal);
        Assert.StartsWith($"**Failing gates ({failedGates:#,0}):** ", md.Lines[5], StringComparison.Ordinal);
    }

    private static string Shortened(RenderedMarkdown md) => md.Lines.Single(l => l.StartsWith("> **Shortened to fit:**", StringComparison.Ordinal));

    private static int Rows(RenderedMarkdown md) => md.Tables().Sum(t => t.Count - 2);

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();
}
