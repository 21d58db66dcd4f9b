using System.Text.Json;

namespace Flywheel.Testing.ChatServer;

/// <summary>One request the server received, kept in memory for the test to inspect (never written anywhere).</summary>
public sealed class RecordedRequest
{
    internal RecordedRequest(int number, string body, JsonElement json, string? authorization)
    {
        Number = number;
        Body = body;
        Json = json;
        Authorization = authorization;
    }

    /// <summary>1 for the first request the server received.</summary>
    public int Number { get; }

    /// <summary>The request body as sent.</summary>
    public string Body { get; }

    /// <summary>The body parsed.</summary>
    public JsonElement Json { get; }

    /// <summary>The Authorization header as sent.</summary>
    public string? Authorization { get; }

    /// <summary>The model asked for.</summary>
    public string? Model => Json.TryGetProperty("model", out var m) ? m.GetString() : null;

    /// <summary>The seed, when one was sent.</summary>
    public long? Seed => Json.TryGetProperty("seed", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : null;

    /// <summary>The temperature, when one was sent.</summary>
    public double? Temperature => Json.TryGetProperty("temperature", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDouble() : null;

    /// <summary>The messages as (role, text) pairs.</summary>
    public IReadOnlyList<(string Role, string Content)> Messages =>
        Json.TryGetProperty("messages", out var messages)
            ? messages.EnumerateArray().Select(m => (m.GetProperty("role").GetString() ?? string.Empty, TextOf(m))).ToList()
            : [];

    /// <summary>The response_format type (json_schema, json_object) or null.</summary>
    public string? ResponseFormatType =>
        Json.TryGetProperty("response_format", out var format) && format.TryGetProperty("type", out var type) ? type.GetString() : null;

    /// <summary>The json_schema name of the response format, or null.</summary>
    public string? ResponseSchemaName =>
        Json.TryGetProperty("response_format", out var format) && format.TryGetProperty("json_schema", out var schema) && schema.TryGetProperty("name", out var name)
            ? name.GetString()
            : null;

    /// <summary>The names of the tools offered.</summary>
    public IReadOnlyList<string> ToolNames =>
        Json.TryGetProperty("tools", out var tools)
            ? tools.EnumerateArray().Select(t => t.GetProperty("function").GetProperty("name").GetString() ?? string.Empty).ToList()
            : [];

    private static string TextOf(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content))
        {
            return string.Empty;
        }

        return content.ValueKind switch
        {
            JsonValueKind.String => content.GetString() ?? string.Empty,
            JsonValueKind.Array => string.Concat(content.EnumerateArray().Select(p => p.TryGetProperty("text", out var t) ? t.GetString() : string.Empty)),
            _ => string.Empty,
        };
    }
}
