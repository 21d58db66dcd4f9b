using System.Text.Json;
using Flywheel.Evals.Tests.Support;
using Flywheel.Testing.ChatServer;

namespace Flywheel.Evals.Tests.Judges;

public sealed class LlmToolSelectionEvaluatorTests
{
    private const string Evaluators = """[{ "name": "tools", "kind": "tool-selection", "method": "llm" }]""";
    private const string Row = """{"id":"wire-0001","tags":{"intent":"wire"},"input":[{"role":"user","content":"Send 500 euros to Ana Lopez"}],"expected":{"tool_calls":[{"name":"initiate_wire_transfer","arguments":{"beneficiary":["Ana Lopez"],"amount":[500]}}]},"tools":[{"name":"initiate_wire_transfer","description":"Starts a wire transfer","parameters":{"type":"object","properties":{"beneficiary":{"type":"string","description":"who receives the money"},"amount":{"type":"number"}},"required":["beneficiary","amount"]}}]}""";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_free_text_argument_the_rules_reject_is_put_to_the_judge_which_can_accept_it()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        using var suite = new JudgeSuite(server.Endpoint, Evaluators, rows: Row,
            responses: """{"id":"wire-0001","tool_calls":[{"name":"initiate_wire_transfer","arguments":{"beneficiary":"Ms. Ana Lopez (savings)","amount":500}}]}""");

        await using var result = await suite.RunAsync();

        var request = Assert.Single(server.Requests);
        Assert.Equal("flywheel_tool_selection", request.ResponseSchemaName);
        using var payload = JsonDocument.Parse(request.Messages[1].Content);
        var item = Assert.Single(payload.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(("beneficiary", "Ms. Ana Lopez (savings)", "who receives the money"),
            (item.GetProperty("argument").GetString(), item.GetProperty("value").GetString(), item.GetProperty("argument_description").GetString()));
        var score = result.Run.Rows.Single().Scores.Single();
        Assert.Equal((1.0, true), (score.Value, score.Passed));
        Assert.Contains("judge: initiate_wire_transfer.beneficiary \"Ms. Ana Lopez (savings)\" means Ana Lopez", score.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_judge_can_refuse_a_free_text_value_and_the_call_fails()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        using var suite = new JudgeSuite(server.Endpoint, Evaluators, rows: Row,
            responses: """{"id":"wire-0001","tool_calls":[{"name":"initiate_wire_transfer","arguments":{"beneficiary":"Bob Stone","amount":500}}]}""");

        await using var result = await suite.RunAsync();

        var score = result.Run.Rows.Single().Scores.Single();
        Assert.Equal((0.0, false), (score.Value, score.Passed));
        Assert.Contains("\"Bob Stone\" does not mean Ana Lopez", score.Reason, StringComparison.Ordinal);
        Assert.Equal(1, server.RequestCount);
    }

    [Theory]
    [InlineData("""{"beneficiary":"Ana Lopez","amount":500}""")] // the rules accept it
    [InlineData("""{"beneficiary":"Ana Lopez","amount":450}""")] // a number: the rules decide, no free text to read
    [InlineData("""{"beneficiary":"Ms. Ana Lopez","amount":500,"memo":"x"}""")] // an unexpected argument fails whatever the judge says
    public async Task Calls_the_rules_can_decide_cost_no_judge_call(string arguments)
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        using var suite = new JudgeSuite(server.Endpoint, Evaluators, rows: Row,
            responses: $$"""{"id":"wire-0001","tool_calls":[{"name":"initiate_wire_transfer","arguments":{{arguments}}}]}""");

        await using var result = await suite.RunAsync();

        Assert.Equal(0, server.RequestCount);
        Assert.NotNull(result.Run.Rows.Single().Scores.Single().Passed);
    }

    [Fact]
    public async Task A_judgement_list_that_skips_an_item_is_invalid_and_retried()
    {
        await using var server = await ChatCompletionsServer.StartAsync(Token);
        using var suite = new JudgeSuite(server.Endpoint, Evaluators, rows: Row,
            responses: """{"id":"wire-0001","tool_calls":[{"name":"initiate_wire_transfer","arguments":{"beneficiary":"Ms. Ana Lopez","amount":500}}]}""");
        server.Enqueue(new ServerBehavior.Answer(ServerReply.Text("""{"judgements": []}""")));

        await using var result = await suite.RunAsync();

        Assert.Equal(2, server.RequestCount);
        Assert.StartsWith("That answer is not valid: no judgement for item(s) 1", server.Requests[1].Messages[^1].Content, StringComparison.Ordinal);
        Assert.True(result.Run.Rows.Single().Scores.Single().Passed);
    }
}
