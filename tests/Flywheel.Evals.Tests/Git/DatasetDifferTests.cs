using Flywheel.Evals.Git;
using Flywheel.Evals.Reports;
using Flywheel.Evals.Tests.Support;

namespace Flywheel.Evals.Tests.Git;

public sealed class DatasetDifferTests
{
    [Fact]
    public void Reports_added_removed_and_changed_rows_with_the_changed_fields()
    {
        using var repo = new TempRepository();
        repo.WriteDemoSuite(DemoSuite.Good);
        repo.Commit("base");
        var lines = DemoSuite.Rows.Split('\n');
        var edited = lines[0].Replace("\"locale\":\"en-US\"", "\"locale\":\"en-GB\"", StringComparison.Ordinal).Replace("Payoff for L-1?", "Payoff for L-1, please?", StringComparison.Ordinal);
        var added = lines[1].Replace("pay-0002", "pay-0004", StringComparison.Ordinal);
        repo.Write("datasets/demo/rows.jsonl", string.Join('\n', edited, lines[2], added, lines[3]) + "\n");
        repo.Write("datasets/demo/dataset.json", """{"name":"demo","version":"2.2.0","cohort_keys":["intent","locale"]}""");
        repo.Commit("edit, add, remove");

        var diff = DatasetDiffer.Compute(repo.Root, "HEAD~1");

        var dataset = Assert.Single(diff.Datasets);
        Assert.Equal("datasets/demo", dataset.Path);
        Assert.Equal(["pay-0004"], dataset.Added);
        Assert.Equal(["pay-0002"], dataset.Removed);
        var change = Assert.Single(dataset.Changed);
        Assert.Equal("pay-0001", change.Id);
        Assert.Equal(["input", "tags"], change.Fields);
        Assert.Equal(("2.1.0", "2.2.0"), (dataset.BaseVersion, dataset.HeadVersion));
        Assert.Null(dataset.Warning);
        var md = DiffReport.Markdown(diff);
        Assert.Contains("- changed `pay-0001`: `input`, `tags`", md, StringComparison.Ordinal);
        Assert.Contains("\"removed\": [", DiffReport.Json(diff), StringComparison.Ordinal);
    }

    [Fact]
    public void Warns_when_rows_changed_and_the_version_did_not()
    {
        using var repo = new TempRepository();
        repo.WriteDemoSuite(DemoSuite.Good);
        repo.Commit("base");
        repo.Write("datasets/demo/rows.jsonl", DemoSuite.Rows.Replace("Envía 500 €", "Envía 600 €", StringComparison.Ordinal) + "\n");
        repo.Commit("edit without bump");

        var dataset = Assert.Single(DatasetDiffer.Compute(repo.Root, "HEAD~1").Datasets);

        Assert.Contains("version stayed 2.1.0", dataset.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_changed_gives_an_empty_diff()
    {
        using var repo = new TempRepository();
        repo.WriteDemoSuite(DemoSuite.Good);
        repo.Commit("base");
        repo.Write("README.md", "docs\n");
        repo.Commit("docs only");

        Assert.Empty(DatasetDiffer.Compute(repo.Root, "HEAD~1").Datasets);
    }

    [Theory]
    [InlineData("1.2.0", "1.10.0", -1)]
    [InlineData("2.0.0", "1.9.9", 1)]
    [InlineData("1.0.0-rc.1", "1.0.0", -1)]
    [InlineData("1.0.0+build", "1.0.0", 0)]
    public void Compares_semantic_versions(string left, string right, int sign) =>
        Assert.Equal(sign, Math.Sign(DatasetDiffer.CompareVersions(left, right)));
}
