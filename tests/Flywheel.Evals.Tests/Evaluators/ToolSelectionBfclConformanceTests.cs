using System.Text.Json.Nodes;
using Flywheel.Evals.Evaluators;
using Flywheel.Evals.Suites;

namespace Flywheel.Evals.Tests.Evaluators;

/// <summary>tool-selection agrees with BFCL's AST checker on the public BFCL sample: every ground truth passes, each kind of wrong call fails naming it.</summary>
public sealed class ToolSelectionBfclConformanceTests
{
    private static readonly ToolSelectionEvaluator Evaluator = new(new EvaluatorConfig { Name = "tools", Kind = EvaluatorKinds.ToolSelection, Method = "rules" });

    public static TheoryData<string> CaseIds() => Ids(_ => true);

    public static TheoryData<string> ParallelCaseIds() => Ids(c => c.GroundTruth().Count > 1);

    public static TheoryData<string> CaseIdsWithRequiredArguments() =>
        Ids(c => c.CorrectCalls() is var calls && c.Required(calls[0]["name"]!.GetValue<string>()).Any(r => calls[0]["arguments"]!.AsObject().ContainsKey(r)));

    private static TheoryData<string> Ids(Func<BfclCase, bool> filter)
    {
        var data = new TheoryData<string>();
        foreach (var id in BfclSample.Cases.Where(filter).Select(c => c.Id))
        {
            data.Add(id);
        }

        if (data.Count == 0)
        {
            data.Add("(sample absent)");
        }

        return data;
    }

    [Fact]
    public void Parallel_categories_all_expect_several_calls()
    {
        Assert.SkipWhen(BfclSample.Folder is null, BfclSample.SkipReason);
        Assert.Equal(100, ParallelCaseIds().Count);
    }

    [Fact]
    public void Sample_has_the_250_cases_its_readme_lists()
    {
        Assert.SkipWhen(BfclSample.Folder is null, BfclSample.SkipReason);
        Assert.Equal(250, BfclSample.Cases.Count);
        Assert.Equal([100, 50, 50, 50], new[] { "simple", "multiple", "parallel", "parallel_multiple" }.Select(c => BfclSample.Cases.Count(x => x.Category == c)));
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public async Task Ground_truth_passes(string id)
    {
        var @case = Find(id);

        var score = await Score(@case, @case.CorrectCalls());

        Assert.True(score.Passed == true, $"{id}: {score.Reason}");
        Assert.Equal(1.0, score.Value);
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public async Task Wrong_function_name_fails_naming_both(string id)
    {
        var @case = Find(id);
        var calls = @case.CorrectCalls();
        var original = calls[0]["name"]!.GetValue<string>();
        calls[0]["name"] = original + "_v2";

        var score = await Score(@case, calls);

        Assert.False(score.Passed, id);
        Assert.Contains(original + "_v2", score.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CaseIdsWithRequiredArguments))]
    public async Task Missing_required_argument_fails_naming_it(string id)
    {
        var @case = Find(id);
        var calls = @case.CorrectCalls();
        var function = calls[0]["name"]!.GetValue<string>();
        var required = @case.Required(function).First(r => calls[0]["arguments"]!.AsObject().ContainsKey(r));
        calls[0]["arguments"]!.AsObject().Remove(required);

        var score = await Score(@case, calls);

        Assert.False(score.Passed, id);
        Assert.Contains($"'{required}'", score.Reason, StringComparison.Ordinal);
        Assert.Contains("missing", score.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public async Task Unacceptable_value_fails_naming_the_argument(string id)
    {
        var @case = Find(id);
        var calls = @case.CorrectCalls();
        var arguments = calls[0]["arguments"]!.AsObject();
        var (name, value) = arguments.First();
        arguments[name] = value switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => s + "-zzz-wrong",
            JsonValue v when v.TryGetValue<bool>(out var b) => !b,
            JsonValue v => v.GetValue<double>() + 12345,
            JsonArray a => new JsonArray([.. a.Select(x => x?.DeepClone()), JsonValue.Create("zzz-extra")]),
            _ => JsonValue.Create("zzz-wrong"),
        };

        var score = await Score(@case, calls);

        Assert.False(score.Passed, id);
        Assert.Contains($"argument '{name}'", score.Reason, StringComparison.Ordinal);
        Assert.Contains("is not one of", score.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public async Task Extra_argument_fails_naming_it(string id)
    {
        var @case = Find(id);
        var calls = @case.CorrectCalls();
        calls[0]["arguments"]!.AsObject()["unexpected_arg"] = "surprise";

        var score = await Score(@case, calls);

        Assert.False(score.Passed, id);
        Assert.Contains("unexpected argument 'unexpected_arg'", score.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ParallelCaseIds))]
    public async Task Missing_one_of_parallel_calls_fails_naming_it(string id)
    {
        var @case = Find(id);
        var calls = @case.CorrectCalls();
        var dropped = calls[^1];
        calls.RemoveAt(calls.Count - 1);

        var score = await Score(@case, calls);

        Assert.False(score.Passed, id);
        Assert.Contains($"missing call {dropped["name"]!.GetValue<string>()}(", score.Reason, StringComparison.Ordinal);
        Assert.Equal((double)calls.Count / (calls.Count + 1), score.Value!.Value, 6);
    }

    [Theory]
    [MemberData(nameof(ParallelCaseIds))]
    public async Task Parallel_calls_pass_in_any_order(string id)
    {
        var @case = Find(id);
        var calls = @case.CorrectCalls();
        calls.Reverse();

        var score = await Score(@case, calls);

        Assert.True(score.Passed == true, $"{id}: {score.Reason}");
    }

    private static BfclCase Find(string id)
    {
        Assert.SkipWhen(BfclSample.Folder is null, BfclSample.SkipReason);
        return BfclSample.Cases.Single(c => c.Id == id);
    }

    private static async Task<Score> Score(BfclCase @case, IEnumerable<JsonObject> calls) =>
        await Evaluator.EvaluateAsync(new EvaluationContext("bfcl", @case.ToRow(), BfclCase.Respond(calls)), TestContext.Current.CancellationToken);
}
