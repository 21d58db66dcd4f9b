using System.Globalization;
using System.Text.Json;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Targets;

namespace Flywheel.Evals.Promotion;

/// <summary>
/// Reads a production trace: OTLP JSON whose spans follow the OpenTelemetry GenAI semantic conventions
/// (<c>gen_ai.*</c> attributes, message events or <c>gen_ai.input.messages</c>/<c>gen_ai.output.messages</c>),
/// or Flywheel's JSONL trace log (one event per line, see the README).
/// </summary>
public static class TraceReader
{
    /// <summary>Reads a trace file of either format.</summary>
    /// <exception cref="TraceFormatException">The file is not a usable trace.</exception>
    public static async Task<Trace> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        var utf8 = bytes.AsMemory(bytes.Length - StrictJson.WithoutBom(bytes).Length);
        if (utf8.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new TraceFormatException("the trace file is empty");
        }

        return LooksLikeOtlp(utf8.Span) ? ReadOtlp(utf8) : ReadLog(utf8);
    }

    /// <summary>True when the text is one JSON object with a top-level "resourceSpans" (found without checking the rest).</summary>
    private static bool LooksLikeOtlp(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName && StrictJson.IsReadableString(ref reader))
            {
                if (reader.ValueTextEquals("resourceSpans"u8))
                {
                    return true;
                }

                reader.Read();
                reader.Skip();
            }

            return false;
        }
        catch (JsonException)
        {
            // Not one JSON document: a JSONL log (or garbage, which ReadLog reports with its line).
            return false;
        }
    }

    private static Trace ReadOtlp(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument parsed;
        try
        {
            parsed = StrictJson.Parse(utf8);
        }
        catch (JsonException ex)
        {
            throw new TraceFormatException($"invalid JSON at column {(ex.BytePositionInLine ?? 0) + 1}: {JsonErrors.Describe(ex)}", (int)(ex.LineNumber ?? 0) + 1);
        }

        using var document = parsed;
        var spans = document.RootElement.GetProperty("resourceSpans").EnumerateArray()
            .SelectMany(r => Array(r, "scopeSpans")).SelectMany(s => Array(s, "spans")).ToList();
        var genAi = spans.Where(s => Attributes(s).Keys.Any(k => k.StartsWith("gen_ai.", StringComparison.Ordinal))).ToList();
        if (genAi.Count == 0)
        {
            throw new TraceFormatException($"the trace has {spans.Count} span(s) but none with gen_ai.* attributes (OpenTelemetry GenAI semantic conventions)");
        }

        var traceId = genAi.Select(s => s.TryGetProperty("traceId", out var id) ? id.GetString() : null).FirstOrDefault(id => !string.IsNullOrEmpty(id))
            ?? throw new TraceFormatException("the GenAI spans carry no traceId");
        var chats = genAi.Where(s => Attributes(s).GetValueOrDefault("gen_ai.operation.name") is "chat" or "text_completion" or "generate_content" or null).OrderBy(StartTime).ToList();
        var lastChat = chats.Count > 0 ? chats[^1] : genAi.OrderBy(StartTime).Last();

        var messages = new List<RowMessage>();
        string? output = null;
        var toolCalls = new List<ResponseToolCall>();
        var attributes = Attributes(lastChat);
        if (attributes.TryGetValue("gen_ai.input.messages", out var input))
        {
            messages.AddRange(ParseMessages(input));
        }
        else
        {
            foreach (var ev in Array(lastChat, "events"))
            {
                var name = ev.TryGetProperty("name", out var n) ? n.GetString() : null;
                var eventAttributes = Attributes(ev);
                var role = name switch
                {
                    "gen_ai.system.message" => "system",
                    "gen_ai.user.message" => "user",
                    "gen_ai.assistant.message" => "assistant",
                    "gen_ai.tool.message" => "tool",
                    _ => null,
                };
                if (role is not null)
                {
                    messages.Add(new RowMessage { Role = role, Content = eventAttributes.GetValueOrDefault("content") ?? string.Empty });
                }
                else if (name == "gen_ai.choice" && eventAttributes.GetValueOrDefault("message") is { } message)
                {
                    var (text2, calls) = ParseChoice(message);
                    output = text2 ?? output;
                    toolCalls.AddRange(calls);
                }
            }
        }

        if (attributes.TryGetValue("gen_ai.output.messages", out var outputMessages))
        {
            var (text2, calls) = ParseOutputMessages(outputMessages);
            output = text2 ?? output;
            toolCalls.AddRange(calls);
        }

        // Tool executions are spans of their own. Each one answers a call the model asked for, so only spans beyond the
        // calls already read from the model's output add a call (a trace may carry either or both).
        var fromOutput = toolCalls.GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var span in genAi.Where(s => Attributes(s).GetValueOrDefault("gen_ai.operation.name") == "execute_tool").OrderBy(StartTime))
        {
            var tool = Attributes(span);
            if (tool.GetValueOrDefault("gen_ai.tool.name") is not { } toolName)
            {
                continue;
            }

            if (fromOutput.TryGetValue(toolName, out var left) && left > 0)
            {
                fromOutput[toolName] = left - 1;
                continue;
            }

            toolCalls.Add(new ResponseToolCall { Name = toolName, Arguments = ParseArguments(tool.GetValueOrDefault("gen_ai.tool.call.arguments")) });
        }

        var context = genAi.SelectMany(s => Array(s, "events"))
            .Where(e => e.TryGetProperty("name", out var n) && n.GetString() is "gen_ai.retrieval.document" or "retrieval.document")
            .Select((e, i) => Attributes(e) is var a ? new ContextChunk { Id = a.GetValueOrDefault("id") ?? $"chunk-{i + 1}", Text = a.GetValueOrDefault("content") ?? a.GetValueOrDefault("text") ?? string.Empty } : null!)
            .Where(c => c.Text.Length > 0)
            .ToList();

        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in spans.SelectMany(s => Attributes(s)))
        {
            if (key.StartsWith("app.", StringComparison.Ordinal) && !tags.ContainsKey(key[4..]))
            {
                tags[key[4..]] = value;
            }
        }

        return Validate(new Trace
        {
            TraceId = traceId,
            Messages = messages,
            Output = output,
            ToolCalls = toolCalls,
            Context = context,
            Model = attributes.GetValueOrDefault("gen_ai.response.model") ?? attributes.GetValueOrDefault("gen_ai.request.model"),
            Tags = tags,
        });
    }

    private static Trace ReadLog(ReadOnlyMemory<byte> utf8)
    {
        var messages = new List<RowMessage>();
        var context = new List<ContextChunk>();
        var toolCalls = new List<ResponseToolCall>();
        var tools = new List<ToolDefinition>();
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        string? traceId = null;
        string? output = null;
        string? model = null;
        var number = 0;
        var rest = utf8;
        while (!rest.IsEmpty)
        {
            number++;
            var end = rest.Span.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? ReadOnlyMemory<byte>.Empty : rest[(end + 1)..];
            line = line.Span.EndsWith("\r"u8) ? line[..^1] : line;
            if (line.Span.Trim(" \t"u8).IsEmpty)
            {
                continue;
            }

            JsonDocument document;
            try
            {
                document = StrictJson.Parse(line);
            }
            catch (JsonException ex)
            {
                throw new TraceFormatException(
                    $"invalid JSON at column {(ex.BytePositionInLine ?? 0) + 1} (read as a JSONL trace log, one event per line, for it is not one OTLP JSON document with \"resourceSpans\"): {JsonErrors.Describe(ex)}", number);
            }

            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var typeElement))
                {
                    throw new TraceFormatException("a trace log line must be an object with a \"type\" (message, retrieval, tool_call, response, tags)", number);
                }

                var id = String(root, "trace_id");
                if (id is not null && traceId is not null && id != traceId)
                {
                    throw new TraceFormatException($"the log mixes traces '{traceId}' and '{id}'; export one trace per file", number);
                }

                traceId ??= id;
                switch (typeElement.GetString())
                {
                    case "message":
                        messages.Add(new RowMessage { Role = String(root, "role") ?? "user", Content = String(root, "content") ?? string.Empty });
                        break;
                    case "retrieval":
                        context.Add(new ContextChunk { Id = String(root, "id") ?? $"chunk-{context.Count + 1}", Text = String(root, "text") ?? string.Empty });
                        break;
                    case "tool_call":
                        toolCalls.Add(new ResponseToolCall { Name = String(root, "name") ?? throw new TraceFormatException("tool_call without a name", number), Arguments = root.TryGetProperty("arguments", out var a) ? a.Clone() : null });
                        break;
                    case "tool":
                        tools.Add(Tool(root, number));
                        break;
                    case "response":
                        output = String(root, "content");
                        model = String(root, "model") ?? model;
                        break;
                    case "tags":
                        if (root.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Object)
                        {
                            foreach (var property in t.EnumerateObject())
                            {
                                tags[property.Name] = property.Value.ToString();
                            }
                        }

                        break;
                    default:
                        throw new TraceFormatException($"unknown event type '{typeElement.GetString()}'", number);
                }
            }
        }

        return Validate(new Trace
        {
            TraceId = traceId ?? throw new TraceFormatException("no line carries a trace_id"),
            Messages = messages,
            Context = context,
            ToolCalls = toolCalls,
            Tools = tools,
            Output = output,
            Model = model,
            Tags = tags,
        });
    }

    private static Trace Validate(Trace trace)
    {
        if (!trace.Messages.Any(m => m.Role == "user" && !string.IsNullOrWhiteSpace(m.Content)))
        {
            throw new TraceFormatException($"trace {trace.TraceId} has no user message: there is no input to regress on");
        }

        return trace;
    }

    private static ToolDefinition Tool(JsonElement root, int line)
    {
        try
        {
            return root.Deserialize(FlywheelJson.Info<ToolDefinition>())!;
        }
        catch (JsonException ex)
        {
            throw new TraceFormatException($"a tool line is not a tool definition: {JsonErrors.Describe(ex)}", line);
        }
    }

    /// <summary>An attribute whose string value is JSON (e.g. gen_ai.input.messages), parsed as strictly as a file; it must be an array.</summary>
    private static JsonDocument NestedArray(string json, string what)
    {
        JsonDocument document;
        try
        {
            document = StrictJson.Parse(System.Text.Encoding.UTF8.GetBytes(json));
        }
        catch (JsonException ex)
        {
            throw new TraceFormatException($"{what} is not valid JSON: {JsonErrors.Describe(ex)}");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            document.Dispose();
            throw new TraceFormatException($"{what} is not a JSON array");
        }

        return document;
    }

    private static IEnumerable<RowMessage> ParseMessages(string json)
    {
        using var document = NestedArray(json, "gen_ai.input.messages");
        foreach (var message in document.RootElement.EnumerateArray())
        {
            var role = String(message, "role") ?? "user";
            var content = String(message, "content") ?? string.Join(" ", Array(message, "parts").Where(p => String(p, "type") == "text").Select(p => String(p, "content") ?? String(p, "text") ?? string.Empty));
            yield return new RowMessage { Role = role, Content = content };
        }
    }

    private static (string? Text, List<ResponseToolCall> Calls) ParseOutputMessages(string json)
    {
        using var document = NestedArray(json, "gen_ai.output.messages");
        string? text = null;
        var calls = new List<ResponseToolCall>();
        foreach (var message in document.RootElement.EnumerateArray())
        {
            foreach (var part in Array(message, "parts"))
            {
                switch (String(part, "type"))
                {
                    case "text":
                        text = (text is null ? string.Empty : text + "\n") + (String(part, "content") ?? String(part, "text"));
                        break;
                    case "tool_call":
                        calls.Add(new ResponseToolCall { Name = String(part, "name") ?? string.Empty, Arguments = part.TryGetProperty("arguments", out var a) ? a.Clone() : null });
                        break;
                }
            }

            text ??= String(message, "content");
        }

        return (text, calls);
    }

    private static (string? Text, List<ResponseToolCall> Calls) ParseChoice(string json)
    {
        JsonDocument parsed;
        try
        {
            parsed = StrictJson.Parse(System.Text.Encoding.UTF8.GetBytes(json));
        }
        catch (JsonException ex)
        {
            throw new TraceFormatException($"a gen_ai.choice message is not valid JSON: {JsonErrors.Describe(ex)}");
        }

        using var document = parsed;
        var calls = Array(document.RootElement, "tool_calls")
            .Select(c => c.TryGetProperty("function", out var f) ? f : c)
            .Select(f => new ResponseToolCall { Name = String(f, "name") ?? string.Empty, Arguments = f.TryGetProperty("arguments", out var a) ? a.Clone() : null })
            .ToList();
        return (String(document.RootElement, "content"), calls);
    }

    private static JsonElement? ParseArguments(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            using var document = StrictJson.Parse(System.Text.Encoding.UTF8.GetBytes(text));
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            using var document = JsonDocument.Parse(JsonSerializer.Serialize(text, FlywheelJson.Info<string>()));
            return document.RootElement.Clone();
        }
    }

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : [];

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long StartTime(JsonElement span) =>
        span.TryGetProperty("startTimeUnixNano", out var t) && long.TryParse(t.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var nanos) ? nanos : 0;

    // OTLP JSON attributes: [{"key": "...", "value": {"stringValue": "..." | "intValue": "..." | ...}}].
    private static Dictionary<string, string> Attributes(JsonElement owner)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in Array(owner, "attributes"))
        {
            var key = String(attribute, "key");
            if (key is null || !attribute.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var typed in value.EnumerateObject())
            {
                attributes[key] = typed.Value.ValueKind == JsonValueKind.String ? typed.Value.GetString()! : typed.Value.GetRawText();
                break;
            }
        }

        return attributes;
    }
}
