using System.Text.Json;
using Flywheel.Evals.Targets;

namespace Flywheel.Evals.Tests.Targets;

/// <summary>The recorded target reads usual responses without the serializer; what it reads must be what the serializer reads.</summary>
public sealed class FastResponseTests
{
    public static TheoryData<string> Usual =>
    [
        """{"id":"a"}""",
        """{"dataset":"bench","id":"row-1","output":"Your payoff is £189,994.88.","tool_calls":[{"name":"get_payoff_quote","arguments":{"loan_id":"ML-70110","as_of":"today"}}],"model":"gpt-4.1-mini","latency_ms":3955,"input_tokens":1464,"output_tokens":93}""",
        """{"id":"a","output":null,"tool_calls":null,"model":null,"latency_ms":null,"input_tokens":null,"output_tokens":null,"dataset":null}""",
        """{"id":"a","tool_calls":[]}""",
        """{"id":"a","tool_calls":[{"name":"f"},{"name":"g","arguments":"{\"x\": 1}"},{"arguments":[1,2],"name":"h"}]}""",
        """{"id":"a","latency_ms":12.5e-1,"input_tokens":-3,"output_tokens":0}""",
        """{"id":"a","extra":{"nested":[1,2]},"Model":"ignored, case differs","trace":"x"}""",
        """{"i\u0064":"esc\u00e9","outp\u0075t":"\u00e9\n"}""",
    ];

    public static TheoryData<string> LeftToTheSerializer =>
    [
        """{"id":"a","id":"b"}""",
        """{"id":"a","model":"m","model":"n"}""",
        """{"id":"a","tool_calls":[{"name":"f","id":"call_1","type":"function"}]}""",
        """{"id":"a","tool_calls":[{"name":"f","arguments":null}]}""",
        """{"id":"a","tool_calls":[{"arguments":{}}]}""",
        """{"id":"a","tool_calls":[{"name":null}]}""",
        """{"id":"a","tool_calls":["f"]}""",
        """{"id":"a","tool_calls":{}}""",
        """{"id":"a","latency_ms":"12"}""",
        """{"id":"a","latency_ms":1e400}""",
        """{"id":"a","input_tokens":1.5}""",
        """{"id":"a","output_tokens":99999999999999999999}""",
        """{"id":"a","model":5}""",
        """{"id":"a","dataset":true}""",
        """{"id":null}""",
        """{"output":"no id"}""",
    ];

    [Theory]
    [MemberData(nameof(Usual))]
    public void Usual_responses_read_as_the_serializer_reads_them(string json)
    {
        using var document = JsonDocument.Parse(json);
        var fast = RecordedTarget.FastResponse(document.RootElement);

        Assert.NotNull(fast);
        var serialized = document.RootElement.Deserialize<Response>(FlywheelJson.Options)!;
        Assert.Equal(JsonSerializer.Serialize(serialized, FlywheelJson.Options), JsonSerializer.Serialize(fast, FlywheelJson.Options));
        Assert.Equal(serialized.ToolCalls?.GetType(), fast.ToolCalls?.GetType());
    }

    [Theory]
    [MemberData(nameof(LeftToTheSerializer))]
    public void Unusual_responses_are_left_to_the_serializer(string json)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Null(RecordedTarget.FastResponse(document.RootElement));
    }
}
