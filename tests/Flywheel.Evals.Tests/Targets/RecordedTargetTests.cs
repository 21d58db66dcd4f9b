using Flywheel.Evals.Datasets;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Targets;
using Flywheel.Evals.Tests.Support;

namespace Flywheel.Evals.Tests.Targets;

public sealed class RecordedTargetTests
{
    private static readonly Dataset Demo = new(new DatasetManifest { Name = "demo", Version = "1.0.0", CohortKeys = [] }, "/nowhere", "datasets/demo");

    [Fact]
    public async Task Joins_responses_in_any_order_with_their_rows()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("r.jsonl", """
            {"id":"c","output":"C"}
            {"id":"a","output":"A"}
            {"dataset":"demo","id":"b","output":"B"}
            """);
        var diagnostics = new DiagnosticBag();
        await using var target = new RecordedTarget(path, "r.jsonl", "demo", diagnostics);

        var outputs = new List<string?>();
        foreach (var id in new[] { "a", "b", "c" })
        {
            outputs.Add((await target.GetResponseAsync(Demo, Row(id), TestContext.Current.CancellationToken))?.Output);
        }

        await target.CompleteAsync(diagnostics, TestContext.Current.CancellationToken);
        Assert.Equal(["A", "B", "C"], outputs);
        Assert.Empty(diagnostics.Items);
    }

    [Fact]
    public async Task Missing_response_is_null_and_leftovers_are_unknown_rows()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("r.jsonl", "{\"id\":\"a\",\"output\":\"A\"}\n{\"id\":\"zz\",\"output\":\"?\"}\n");
        var diagnostics = new DiagnosticBag();
        await using var target = new RecordedTarget(path, "r.jsonl", "demo", diagnostics);

        var missing = await target.GetResponseAsync(Demo, Row("b"), TestContext.Current.CancellationToken);
        var found = await target.GetResponseAsync(Demo, Row("a"), TestContext.Current.CancellationToken);
        await target.CompleteAsync(diagnostics, TestContext.Current.CancellationToken);

        Assert.Null(missing);
        Assert.Equal("A", found?.Output);
        var unknown = Assert.Single(diagnostics.Items);
        Assert.Equal((DiagnosticCodes.ResponseForUnknownRow, 2), (unknown.Code, unknown.Line));
    }

    [Fact]
    public async Task Duplicate_and_malformed_responses_are_reported_with_lines()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("r.jsonl", "{\"id\":\"a\",\"output\":\"A\"}\n{\"id\":\"a\",\"output\":\"again\"}\n{oops\n{\"output\":\"no id\"}\n{\"id\":\"b\",\"output\":42}\n");
        var diagnostics = new DiagnosticBag();
        await using var target = new RecordedTarget(path, "r.jsonl", "demo", diagnostics);

        await target.GetResponseAsync(Demo, Row("a"), TestContext.Current.CancellationToken);
        await target.CompleteAsync(diagnostics, TestContext.Current.CancellationToken);

        Assert.Equal(
            [(DiagnosticCodes.DuplicateResponse, 2), (DiagnosticCodes.InvalidJson, 3), (DiagnosticCodes.ResponseSchema, 4), (DiagnosticCodes.ResponseSchema, 5)],
            diagnostics.Items.Select(d => (d.Code, d.Line)));
    }

    [Fact]
    public async Task A_response_whose_row_is_invalid_is_not_one_for_an_unknown_row()
    {
        using var dir = new TempDirectory();
        // "bad" is read ahead while "a" is looked for, "later" only when the target completes.
        var path = dir.Write("r.jsonl", "{\"id\":\"bad\",\"output\":\"?\"}\n{\"id\":\"a\",\"output\":\"A\"}\n{\"id\":\"later\",\"output\":\"?\"}\n{\"id\":\"ghost\",\"output\":\"?\"}\n");
        var diagnostics = new DiagnosticBag();
        await using var target = new RecordedTarget(path, "r.jsonl", "demo", diagnostics);

        await target.GetResponseAsync(Demo, Row("a"), TestContext.Current.CancellationToken);
        await target.SkipAsync(Demo, "bad", TestContext.Current.CancellationToken);
        await target.SkipAsync(Demo, "later", TestContext.Current.CancellationToken);
        await target.SkipAsync(Demo, null, TestContext.Current.CancellationToken);
        await target.CompleteAsync(diagnostics, TestContext.Current.CancellationToken);

        var unknown = Assert.Single(diagnostics.Items);
        Assert.Equal((DiagnosticCodes.ResponseForUnknownRow, 4), (unknown.Code, unknown.Line));
        Assert.Contains("'ghost'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("invalid rows", unknown.Message, StringComparison.Ordinal);
    }

    private static Row Row(string id) => new() { Id = id, Tags = new Dictionary<string, string>(), Input = [new RowMessage { Role = "user", Content = "?" }] };
}
