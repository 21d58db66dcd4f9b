using System.Text.Json.Nodes;

namespace Flywheel.Bench.Generate;

/// <summary>A function call: for an expected call each argument maps to its acceptable values; for a response, to one value.</summary>
internal sealed record Call(string Name, JsonObject Arguments)
{
    /// <summary>An expected call: each argument lists the values it may take ("" = may be left out).</summary>
    public static Call Expect(string name, params (string Name, object[] Values)[] arguments)
    {
        var args = new JsonObject();
        foreach (var (key, values) in arguments)
        {
            args[key] = new JsonArray(values.Select(Value).ToArray());
        }

        return new Call(name, args);
    }

    /// <summary>A call as a model makes it.</summary>
    public static Call Make(string name, params (string Name, object Value)[] arguments)
    {
        var args = new JsonObject();
        foreach (var (key, value) in arguments)
        {
            args[key] = Value(value);
        }

        return new Call(name, args);
    }

    private static JsonNode Value(object value) => value switch
    {
        string s => JsonValue.Create(s),
        int i => JsonValue.Create(i),
        decimal d => JsonValue.Create(d),
        _ => throw new ArgumentException($"unsupported argument value {value.GetType().Name}", nameof(value)),
    };
}

/// <summary>One generated regression case and the responses a model could give to it.</summary>
internal sealed class Case
{
    public required string Intent { get; init; }

    public required string Product { get; init; }

    public List<(string Role, string Content)> Input { get; } = [];

    public List<(string Id, string Text)> Context { get; } = [];

    /// <summary>Acceptable answers; every one is grounded in the context.</summary>
    public required string[] Answers { get; init; }

    /// <summary>Expected calls; empty means no tool may be called.</summary>
    public required Call[] Expected { get; init; }

    public string? ToolOrder { get; init; }

    /// <summary>The functions offered to the model.</summary>
    public required string[] Tools { get; init; }

    /// <summary>The calls a correct response makes (in a valid order).</summary>
    public required Call[] Calls { get; init; }

    /// <summary>A wrong response: right words, one figure that is in no chunk.</summary>
    public required string Invented { get; init; }

    /// <summary>A wrong response: a loose paraphrase that says little of what the answer says.</summary>
    public required string Paraphrase { get; init; }

    /// <summary>A wrong response: the wrong function, or a parallel call left out.</summary>
    public required Call[] WrongCalls { get; init; }
}
