using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Flywheel.Evals.Chat;

/// <summary>The cache key of a chat request: SHA-256 of its canonical form (endpoint, model, messages, options). The API key is never part of it.</summary>
public static class ChatRequestKey
{
    /// <summary>The version of the canonical form; bump it when the form changes so old entries are not misread.</summary>
    private const int FormVersion = 1;

    /// <summary>The lowercase hex SHA-256 of the canonical request.</summary>
    public static string Compute(string endpoint, string model, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(messages);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteCanonical(writer, endpoint, model, messages, options);
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }

    /// <summary>Writes the canonical request: every field that changes the answer, in a fixed order.</summary>
    internal static void WriteCanonical(Utf8JsonWriter writer, string endpoint, string model, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("v", FormVersion);
        writer.WriteString("endpoint", endpoint);
        writer.WriteString("model", options?.ModelId ?? model);
        writer.WriteStartArray("messages");
        foreach (var message in messages)
        {
            writer.WriteStartObject();
            writer.WriteString("role", message.Role.Value);
            if (message.AuthorName is { } author)
            {
                writer.WriteString("author", author);
            }

            writer.WriteStartArray("contents");
            foreach (var content in message.Contents)
            {
                WriteContent(writer, content);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (options is not null)
        {
            WriteOptions(writer, options);
        }

        writer.WriteEndObject();
    }

    private static void WriteContent(Utf8JsonWriter writer, AIContent content)
    {
        writer.WriteStartObject();
        switch (content)
        {
            case TextContent text:
                writer.WriteString("text", text.Text);
                break;
            case FunctionCallContent call:
                writer.WriteString("call", call.Name);
                writer.WriteString("id", call.CallId);
                writer.WritePropertyName("arguments");
                JsonSerializer.Serialize(writer, call.Arguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>)));
                break;
            case FunctionResultContent result:
                writer.WriteString("result_of", result.CallId);
                writer.WritePropertyName("result");
                JsonSerializer.Serialize(writer, result.Result, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(object)));
                break;
            default:
                writer.WriteString("type", content.GetType().Name);
                writer.WritePropertyName("value");
                JsonSerializer.Serialize(writer, content, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(AIContent)));
                break;
        }

        writer.WriteEndObject();
    }

    private static void WriteOptions(Utf8JsonWriter writer, ChatOptions options)
    {
        writer.WriteStartObject("options");
        WriteNumber(writer, "temperature", options.Temperature);
        WriteNumber(writer, "top_p", options.TopP);
        WriteNumber(writer, "top_k", options.TopK);
        WriteNumber(writer, "frequency_penalty", options.FrequencyPenalty);
        WriteNumber(writer, "presence_penalty", options.PresencePenalty);
        if (options.MaxOutputTokens is { } max)
        {
            writer.WriteNumber("max_output_tokens", max);
        }

        if (options.Seed is { } seed)
        {
            writer.WriteNumber("seed", seed);
        }

        if (options.Instructions is { } instructions)
        {
            writer.WriteString("instructions", instructions);
        }

        if (options.StopSequences is { Count: > 0 } stops)
        {
            writer.WriteStartArray("stop");
            foreach (var stop in stops)
            {
                writer.WriteStringValue(stop);
            }

            writer.WriteEndArray();
        }

        switch (options.ResponseFormat)
        {
            case ChatResponseFormatJson json:
                writer.WriteStartObject("response_format");
                writer.WriteString("type", "json");
                if (json.SchemaName is { } name)
                {
                    writer.WriteString("name", name);
                }

                if (json.Schema is { } schema)
                {
                    writer.WritePropertyName("schema");
                    schema.WriteTo(writer);
                }

                writer.WriteEndObject();
                break;
            case ChatResponseFormatText:
                writer.WriteString("response_format", "text");
                break;
        }

        if (options.Tools is { Count: > 0 } tools)
        {
            writer.WriteStartArray("tools");
            foreach (var tool in tools)
            {
                writer.WriteStartObject();
                writer.WriteString("name", tool.Name);
                writer.WriteString("description", tool.Description);
                if (tool is AIFunctionDeclaration function)
                {
                    writer.WritePropertyName("schema");
                    function.JsonSchema.WriteTo(writer);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (options.ToolMode is { } mode)
        {
            writer.WriteString("tool_mode", mode switch
            {
                RequiredChatToolMode { RequiredFunctionName: { } function } => "required:" + function,
                RequiredChatToolMode => "required",
                NoneChatToolMode => "none",
                _ => "auto",
            });
        }

        if (options.AllowMultipleToolCalls is { } multiple)
        {
            writer.WriteBoolean("allow_multiple_tool_calls", multiple);
        }

        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, float? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, Math.Round((double)v, 6));
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }
}
