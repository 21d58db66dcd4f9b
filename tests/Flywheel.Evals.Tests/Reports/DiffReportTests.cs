using Flywheel.Evals.Git;
using Flywheel.Evals.Reports;
using Flywheel.Evals.Tests.Support;

namespace Flywheel.Evals.Tests.Reports;

/// <summary><c>flywheel diff --format md</c> is pasted into pull requests too: row ids, paths and warnings stay in their code spans and act as nothing.</summary>
public sealed class DiffReportTests
{
    [Fact]
    public void Row_ids_paths_and_warnings_stay_in_their_code_spans_and_ping_no_one()
    {
        var diff = new DiffResult("main`x", new string('a', 40), "HEAD", new string('b', 40),
        [
            new DatasetDiff
            {
                Path = "data|sets/`demo`",
                BaseVersion = "1.0.0",
                HeadVersion = "1.0.0",
                Added = ["a`b", "@octocat"],
                Removed = ["</details>"],
                Changed = [new RowChange("x|y", ["input", "tags"])],
                Warning = "rows changed, version did not: ask @octocat about #12 <b>",
            },
        ]);

        var md = new RenderedMarkdown(DiffReport.Markdown(diff));

        md.AssertWellFormed();
        Assert.Contains("- added ``a`b``", md.Text, StringComparison.Ordinal);
        Assert.Contains("- added `@octocat`", md.Text, StringComparison.Ordinal);
        Assert.Contains("- removed `</details>`", md.Text, StringComparison.Ordinal);
        Assert.Contains("- changed `x|y`: `input`, `tags`", md.Text, StringComparison.Ordinal);
        Assert.Contains("| `` data\\|sets/`demo` `` |", md.Text, StringComparison.Ordinal);
        Assert.Contains("ask @\u200Doctocat about #\u200D12 &lt;b&gt;", md.Text, StringComparison.Ordinal);
    }
}
