using System.Text.Json;
using Flywheel.Evals.Schemas;

namespace Flywheel.Evals.Tests.Schemas;

/// <summary>The gate's fast shape check must give row.schema.json's verdict (NJsonSchema) on valid rows and on every kind of violation.</summary>
public sealed class RowShapeTests
{
    // Loading NJsonSchema's model of the schemas is the slow part of each case; the schemas never change.
    private static readonly Lazy<Task<FlywheelSchemas>> Schemas = new(() => FlywheelSchemas.LoadAsync());

    private const string Valid =
        """{"id":"row-001","tags":{"intent":"payoff","locale":"en-US"},"input":[{"role":"user","content":"hi"}]}""";

    public static TheoryData<string> Rows =>
    [
        Valid,
        """{"id":"a","tags":{},"input":[{"role":"system","content":"s"},{"role":"user","content":"u","name":"n"},{"role":"assistant","content":""},{"role":"tool","content":"t","tool_call_id":"c1"}]}""",
        """{"id":"A.b_c:d-9","tags":{"k.1_-":"v"},"input":[{"role":"user","content":"x"}],"context":[{"id":"c","text":"t","source":"s"}],"expected":{"answers":["a",""],"tool_calls":[{"name":"f","arguments":{"x":[1],"y":["",null,{"a":[1]}]}},{"name":"g"}],"tool_order":"strict"},"tools":[{"name":"f","description":"d","parameters":{"type":"object"}}],"source":{"trace_id":"t","failure_mode":"m","promoted_by":"p","promoted_at":"2026"},"review":{"status":"pending","reviewers":["r"],"labels":[{"reviewer":"r","label":"l","note":"n"}]}}""",
        """{"id":"r\u002D1","tags":{"int\u0065nt":"x"},"input":[{"r\u006fle":"user","content":"x"}]}""",
        """{"id":"abc\n","tags":{},"input":[{"role":"user","content":"x"}]}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"expected":{},"context":[],"tools":[],"source":{},"review":{"status":"approved"}}""",
        """{"id":"x","tags":{},"input":[{"role":"us\u0065r","content":"x"}],"review":{"status":"dis\u0070uted"},"expected":{"tool_order":"an\u0079"}}""",
        // Violations, one kind each.
        """[]""",
        """{"tags":{},"input":[{"role":"user","content":"x"}]}""",
        """{"id":"x","input":[{"role":"user","content":"x"}]}""",
        """{"id":"x","tags":{}}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"extra":1}""",
        """{"id":"","tags":{},"input":[{"role":"user","content":"x"}]}""",
        """{"id":"-x","tags":{},"input":[{"role":"user","content":"x"}]}""",
        """{"id":"a b","tags":{},"input":[{"role":"user","content":"x"}]}""",
        """{"id":"é","tags":{},"input":[{"role":"user","content":"x"}]}""",
        """{"id":"a\u00e9","tags":{},"input":[{"role":"user","content":"x"}]}""",
        """{"id":"a\nb","tags":{},"input":[{"role":"user","content":"x"}]}""",
        """{"id":7,"tags":{},"input":[{"role":"user","content":"x"}]}""",
        """{"id":"x","tags":{"k":1},"input":[{"role":"user","content":"x"}]}""",
        """{"id":"x","tags":[],"input":[{"role":"user","content":"x"}]}""",
        """{"id":"x","tags":{},"input":[]}""",
        """{"id":"x","tags":{},"input":{}}""",
        """{"id":"x","tags":{},"input":[{"role":"robot","content":"x"}]}""",
        """{"id":"x","tags":{},"input":[{"role":"user"}]}""",
        """{"id":"x","tags":{},"input":[{"content":"x"}]}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":5}]}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x","extra":"y"}]}""",
        """{"id":"x","tags":{},"input":["user"]}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"context":[{"id":"","text":"t"}]}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"context":[{"id":"c"}]}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"context":[{"id":"c","text":"t","url":"u"}]}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"context":{}}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"expected":{"answers":"a"}}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"expected":{"answers":[1]}}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"expected":{"tool_calls":[{"arguments":{}}]}}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"expected":{"tool_calls":[{"name":""}]}}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"expected":{"tool_calls":[{"name":"f","arguments":{"a":[]}}]}}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"expected":{"tool_calls":[{"name":"f","arguments":{"a":1}}]}}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"expected":{"tool_calls":[{"name":"f","args":{}}]}}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"expected":{"tool_order":"random"}}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"expected":{"other":1}}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"expected":[]}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"tools":[{"description":"d"}]}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"tools":[{"name":"f","parameters":[]}]}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"tools":[{"name":"f","description":3}]}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"tools":[{"name":"f","type":"function"}]}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"source":{"trace_id":1}}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"source":{"other":"o"}}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"review":{}}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"review":{"status":"done"}}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"review":{"status":"approved","reviewers":[1]}}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"review":{"status":"approved","labels":[{"reviewer":"r"}]}}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"review":{"status":"approved","labels":[{"reviewer":"r","label":"l","x":"y"}]}}""",
        """{"id":"x","tags":{},"input":[{"role":"user","content":"x"}],"review":{"status":"approved","extra":1}}""",
    ];

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Shape_check_agrees_with_the_row_schema(string json)
    {
        var schemas = await Schemas.Value;
        using var document = JsonDocument.Parse(json);

        var schemaValid = FlywheelSchemas.Validate(schemas.Row, json).Count == 0;

        Assert.Equal(schemaValid, RowShape.IsValid(document.RootElement));
    }

    [Theory]
    [InlineData("bad key")]
    [InlineData("")]
    [InlineData("k\\u0020")]
    [InlineData("k\\u00e9")]
    [InlineData("ké")]
    public void Tag_keys_outside_the_pattern_are_rejected(string key)
    {
        // NJsonSchema does not enforce propertyNames; the shape check does, and the reader turns its rejection into an error.
        using var document = JsonDocument.Parse(Valid.Replace("\"intent\"", $"\"{key}\"", StringComparison.Ordinal));

        Assert.False(RowShape.IsValid(document.RootElement));
    }

    [Theory]
    [InlineData("in_tent.2-x")]
    [InlineData("\\u0069ntent")]
    public void Tag_keys_inside_the_pattern_pass_escaped_or_not(string key)
    {
        using var document = JsonDocument.Parse(Valid.Replace("\"intent\"", $"\"{key}\"", StringComparison.Ordinal));

        Assert.True(RowShape.IsValid(document.RootElement));
    }

    [Fact]
    public void Ids_longer_than_200_characters_are_rejected()
    {
        using var longest = JsonDocument.Parse(Valid.Replace("row-001", new string('a', 200), StringComparison.Ordinal));
        using var tooLong = JsonDocument.Parse(Valid.Replace("row-001", new string('a', 201), StringComparison.Ordinal));
        using var escapedTooLong = JsonDocument.Parse(Valid.Replace("row-001", "\\u0061" + new string('a', 200), StringComparison.Ordinal));

        Assert.True(RowShape.IsValid(longest.RootElement));
        Assert.False(RowShape.IsValid(tooLong.RootElement));
        Assert.False(RowShape.IsValid(escapedTooLong.RootElement));
    }
}
