using Flywheel.Evals.Evaluators;
using Flywheel.Evals.Suites;
using static Flywheel.Evals.Tests.Evaluators.EvaluatorCases;

namespace Flywheel.Evals.Tests.Evaluators;

public sealed class ToolSelectionEvaluatorTests
{
    private static readonly ToolSelectionEvaluator Tools = new(new EvaluatorConfig { Name = "tools", Kind = EvaluatorKinds.ToolSelection, Method = "rules" });

    private const string Catalogue = """
        [{"name":"get_payoff_quote","parameters":{"type":"object","properties":{"loan_id":{"type":"string"},"as_of":{"type":"string"}},"required":["loan_id"]}},
         {"name":"get_balance","parameters":{"type":"object","properties":{"account_id":{"type":"string"},"limit":{"type":"integer"},"code":{"type":"string"},"filter":{"type":"object","properties":{"min":{"type":"number"}}}},"required":["account_id"]}},
         {"name":"verify_identity","parameters":{"type":"object","properties":{"method":{"type":"string"}}}}]
        """;

    [Fact]
    public async Task Matching_call_passes_and_optional_argument_may_be_left_out()
    {
        var score = await Run("""[{"name":"get_payoff_quote","arguments":{"loan_id":["L-1001"],"as_of":["","today"]}}]""", """[{"name":"get_payoff_quote","arguments":{"loan_id":"L-1001"}}]""");

        Assert.Equal((true, 1.0), (score.Passed, score.Value));
    }

    [Fact]
    public async Task Wrong_function_names_both_in_the_reason()
    {
        var score = await Run("""[{"name":"get_payoff_quote","arguments":{"loan_id":["L-1001"]}}]""", """[{"name":"get_balance","arguments":{"account_id":"CHK-1"}}]""");

        Assert.False(score.Passed);
        Assert.Equal("wrong tool: get_balance instead of get_payoff_quote; expected get_payoff_quote(loan_id=L-1001), got get_balance(account_id=CHK-1)", score.Reason);
    }

    [Fact]
    public async Task Parallel_calls_match_in_any_order_including_two_calls_to_the_same_function()
    {
        var score = await Run(
            """[{"name":"get_balance","arguments":{"account_id":["CHK-1"]}},{"name":"get_balance","arguments":{"account_id":["SAV-2"]}}]""",
            """[{"name":"get_balance","arguments":{"account_id":"SAV-2"}},{"name":"get_balance","arguments":{"account_id":"CHK-1"}}]""");

        Assert.True(score.Passed, score.Reason);
    }

    [Fact]
    public async Task Duplicate_call_instead_of_the_second_account_fails_with_partial_score()
    {
        var score = await Run(
            """[{"name":"get_balance","arguments":{"account_id":["CHK-1"]}},{"name":"get_balance","arguments":{"account_id":["SAV-2"]}}]""",
            """[{"name":"get_balance","arguments":{"account_id":"CHK-1"}},{"name":"get_balance","arguments":{"account_id":"CHK-1"}}]""");

        Assert.Equal((false, 0.5), (score.Passed, score.Value));
        Assert.Contains("'account_id': CHK-1 is not one of [SAV-2]", score.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Strict_order_fails_a_swapped_sequence()
    {
        var row = Row($$$"""{"id":"r","tags":{},"input":[{"role":"user","content":"q"}],"tools":{{{Catalogue}}},"expected":{"tool_order":"strict","tool_calls":[{"name":"verify_identity","arguments":{"method":["otp"]}},{"name":"get_balance","arguments":{"account_id":["CHK-1"]}}]}}""");

        var swapped = await Score(Tools, row, Output(null, """[{"name":"get_balance","arguments":{"account_id":"CHK-1"}},{"name":"verify_identity","arguments":{"method":"otp"}}]"""));
        var ordered = await Score(Tools, row, Output(null, """[{"name":"verify_identity","arguments":{"method":"otp"}},{"name":"get_balance","arguments":{"account_id":"CHK-1"}}]"""));

        Assert.False(swapped.Passed);
        Assert.Contains("out of order", swapped.Reason, StringComparison.Ordinal);
        Assert.True(ordered.Passed);
    }

    [Fact]
    public async Task Empty_expectation_means_no_call_may_be_made()
    {
        var none = await Run("[]", "[]");
        var some = await Run("[]", """[{"name":"get_balance","arguments":{"account_id":"CHK-1"}}]""");

        Assert.True(none.Passed);
        Assert.Equal((false, 0.0), (some.Passed, some.Value));
        Assert.StartsWith("expected no tool call, got get_balance(", some.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_call_when_one_was_expected_says_so()
    {
        var score = await Run("""[{"name":"get_balance","arguments":{"account_id":["CHK-1"]}}]""", "[]");

        Assert.Equal((false, 0.0), (score.Passed, score.Value));
        Assert.EndsWith("got no tool call", score.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"limit\":[5]", "\"limit\":\"5\"", false)]
    [InlineData("\"limit\":[5]", "\"limit\":5.0", false)]
    [InlineData("\"code\":[\"5\"]", "\"code\":5", true)]
    [InlineData("\"filter\":[{\"min\":[2.0]}]", "\"filter\":{\"min\":2}", true)]
    [InlineData("\"filter\":[{\"min\":[2.0]}]", "\"filter\":{\"min\":2,\"max\":9}", false)]
    public async Task Types_coerce_only_where_unambiguous(string expected, string actual, bool passes)
    {
        var score = await Run(
            $$$"""[{"name":"get_balance","arguments":{"account_id":["CHK-1"],{{{expected}}}}}]""",
            $$$"""[{"name":"get_balance","arguments":{"account_id":"CHK-1",{{{actual}}}}}]""");

        Assert.True(score.Passed == passes, score.Reason);
    }

    [Fact]
    public async Task Arguments_as_an_openai_json_string_are_parsed()
    {
        var score = await Run("""[{"name":"get_balance","arguments":{"account_id":["CHK-1"]}}]""", """[{"name":"get_balance","arguments":"{\"account_id\": \"chk 1\"}"}]""");

        Assert.True(score.Passed, score.Reason);
    }

    [Fact]
    public async Task Unexpected_and_missing_arguments_are_named()
    {
        var score = await Run(
            """[{"name":"get_payoff_quote","arguments":{"loan_id":["L-1"],"as_of":["today"]}}]""",
            """[{"name":"get_payoff_quote","arguments":{"loan_id":"L-1","currency":"USD"}}]""");

        Assert.False(score.Passed);
        Assert.Contains("unexpected argument 'currency'", score.Reason, StringComparison.Ordinal);
        Assert.Contains("missing argument 'as_of'", score.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_row_flags_an_expected_call_to_a_tool_the_row_does_not_offer()
    {
        var row = Row($$$"""{"id":"r","tags":{},"input":[{"role":"user","content":"q"}],"tools":{{{Catalogue}}},"expected":{"tool_calls":[{"name":"wire_money"}]}}""");

        Assert.Contains("'wire_money'", Assert.Single(Tools.CheckRow(row)), StringComparison.Ordinal);
    }

    private static Task<Score> Run(string expectedCalls, string actualCalls) =>
        Score(Tools, Row($$$"""{"id":"r","tags":{},"input":[{"role":"user","content":"q"}],"tools":{{{Catalogue}}},"expected":{"tool_calls":{{{expectedCalls}}}}}"""), Output(null, actualCalls));
}
