using System.Text;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Schemas;

namespace Flywheel.Evals.Tests.Datasets;

/// <summary>Rows offering the same tools share one parsed list; it must read exactly as each row's own would.</summary>
public sealed class DatasetReaderToolListTests
{
    private const string Tools = """[{"name":"get_balance","description":"Balance of «one» account.","parameters":{"type":"object","properties":{"account_id":{"type":"string"}},"required":["account_id"]}}]""";

    [Fact]
    public async Task Rows_with_the_same_tools_share_one_list_that_outlives_their_documents()
    {
        var reader = new DatasetReader(await FlywheelSchemas.LoadAsync(TestContext.Current.CancellationToken));
        var diagnostics = new DiagnosticBag();

        var first = Parse(reader, Line(1, Tools), diagnostics, out var firstDocument);
        var second = Parse(reader, Line(2, Tools), diagnostics, out var secondDocument);
        firstDocument!.Dispose();
        secondDocument!.Dispose();

        Assert.Empty(diagnostics.Items);
        Assert.Same(first.Tools, second.Tools);
        var tool = Assert.Single(second.Tools!);
        Assert.Equal("get_balance", tool.Name);
        Assert.Equal("Balance of «one» account.", tool.Description);
        // The schema is still readable after every row document it was read from is gone.
        Assert.Equal("string", tool.Parameters!.Value.GetProperty("properties").GetProperty("account_id").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Rows_whose_tools_differ_by_a_byte_get_their_own_lists()
    {
        var reader = new DatasetReader(await FlywheelSchemas.LoadAsync(TestContext.Current.CancellationToken));
        var diagnostics = new DiagnosticBag();

        var first = Parse(reader, Line(1, Tools), diagnostics, out _);
        var second = Parse(reader, Line(2, Tools.Replace("\"string\"", "\"number\"", StringComparison.Ordinal)), diagnostics, out _);
        var third = Parse(reader, Line(3, Tools.Replace("get_balance", "get_balancf", StringComparison.Ordinal)), diagnostics, out _);

        Assert.Empty(diagnostics.Items);
        Assert.NotSame(first.Tools, second.Tools);
        Assert.Equal("number", second.Tools![0].Parameters!.Value.GetProperty("properties").GetProperty("account_id").GetProperty("type").GetString());
        Assert.Equal("get_balancf", third.Tools![0].Name);
        Assert.Equal("string", first.Tools![0].Parameters!.Value.GetProperty("properties").GetProperty("account_id").GetProperty("type").GetString());
    }

    [Fact]
    public async Task More_distinct_tool_lists_than_the_cache_keeps_are_still_read_per_row()
    {
        var reader = new DatasetReader(await FlywheelSchemas.LoadAsync(TestContext.Current.CancellationToken));
        var diagnostics = new DiagnosticBag();

        for (var k = 0; k < 200; k++)
        {
            var row = Parse(reader, Line(k + 1, Tools.Replace("get_balance", $"tool_{k}", StringComparison.Ordinal)), diagnostics, out _);
            Assert.Equal($"tool_{k}", row.Tools![0].Name);
        }

        Assert.Empty(diagnostics.Items);
    }

    private static string Line(int k, string tools) =>
        $$$"""{"id":"row-{{{k:000}}}","tags":{"intent":"balance"},"input":[{"role":"user","content":"What is my balance?"}],"expected":{"tool_calls":[{"name":"get_balance","arguments":{"account_id":["CHK-1"]}}]},"tools":{{{tools}}}}""";

    private static Row Parse(DatasetReader reader, string line, DiagnosticBag diagnostics, out System.Text.Json.JsonDocument? document) =>
        reader.ParseRow(new JsonLine(1, Encoding.UTF8.GetBytes(line)), "rows.jsonl", diagnostics, thorough: false, out document)!;
}
