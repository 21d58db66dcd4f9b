using System.Text.Json;
using Flywheel.Evals.Chat;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Suites;
using Microsoft.Extensions.AI;

namespace Flywheel.Evals.Targets;

/// <summary>
/// Live responses: each row's messages (after the suite's system prompt) are sent through <see cref="IChatClient"/>, with the
/// row's tools offered as functions (tools_from_rows); the tool calls the model makes become the response's tool calls.
/// The functions are declared, never invoked: the gate judges which calls the model chose, not what they return.
/// </summary>
public sealed class ChatTarget : ITarget
{
    private static readonly JsonElement EmptyParameters = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();
    private readonly IChatClient _client;
    private readonly ModelEndpointConfig _endpoint;
    private readonly TargetConfig _config;
    private readonly string? _systemPrompt;
    private readonly TimeProvider _time;

    /// <summary>Creates the target.</summary>
    /// <param name="client">The target endpoint's pipeline.</param>
    /// <param name="endpoint">The endpoint and model.</param>
    /// <param name="config">The suite's target settings.</param>
    /// <param name="systemPrompt">The system prompt file's text, or null.</param>
    /// <param name="time">The clock for latency.</param>
    public ChatTarget(IChatClient client, ModelEndpointConfig endpoint, TargetConfig config, string? systemPrompt, TimeProvider time)
    {
        _client = client;
        _endpoint = endpoint;
        _config = config;
        _systemPrompt = systemPrompt;
        _time = time;
    }

    /// <inheritdoc />
    public string Description => $"chat {_endpoint.Model} at {_endpoint.DisplayEndpoint}";

    /// <inheritdoc />
    public async ValueTask<Response?> GetResponseAsync(Dataset dataset, Row row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(row);
        var messages = Messages(row);
        var options = new ChatOptions
        {
            Temperature = (float)(_endpoint.Temperature ?? 0.0),
            MaxOutputTokens = _config.MaxOutputTokens,
        };
        if (_config.ToolsFromRows && row.Tools is { Count: > 0 } tools)
        {
            options.Tools = tools.Select(t => (AITool)AIFunctionFactory.CreateDeclaration(t.Name, t.Description ?? string.Empty, t.Parameters ?? EmptyParameters)).ToList();
        }

        var started = _time.GetTimestamp();
        ChatResponse answer;
        try
        {
            answer = await _client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (CallBudgetExhaustedException)
        {
            throw new TargetCallException(CallBudgetExhaustedException.Reason);
        }
        catch (ModelCallException ex)
        {
            throw new TargetCallException($"the chat target did not answer: {ex.Message}", ex);
        }

        var calls = answer.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Select(ToolCall).ToList();
        return new Response
        {
            Dataset = dataset.Name,
            Id = row.Id,
            Output = answer.Text,
            ToolCalls = calls,
            Model = answer.ModelId ?? _endpoint.Model,
            LatencyMs = Math.Round(_time.GetElapsedTime(started).TotalMilliseconds, 1),
            InputTokens = answer.Usage?.InputTokenCount,
            OutputTokens = answer.Usage?.OutputTokenCount,
        };
    }

    /// <inheritdoc />
    public ValueTask CompleteAsync(DiagnosticBag diagnostics, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private List<ChatMessage> Messages(Row row)
    {
        var messages = new List<ChatMessage>(row.Input.Count + 1);
        if (!string.IsNullOrWhiteSpace(_systemPrompt))
        {
            messages.Add(new ChatMessage(ChatRole.System, _systemPrompt));
        }

        foreach (var message in row.Input)
        {
            var chat = message.Role switch
            {
                "tool" when message.ToolCallId is { } callId => new ChatMessage(ChatRole.Tool, [new FunctionResultContent(callId, message.Content)]),
                "tool" => new ChatMessage(ChatRole.Tool, message.Content),
                "system" => new ChatMessage(ChatRole.System, message.Content),
                "assistant" => new ChatMessage(ChatRole.Assistant, message.Content),
                _ => new ChatMessage(ChatRole.User, message.Content),
            };
            chat.AuthorName = message.Name;
            messages.Add(chat);
        }

        return messages;
    }

    private static ResponseToolCall ToolCall(FunctionCallContent call)
    {
        // Arguments the SDK could not parse stay visible as text, so the evaluator reports them instead of seeing none.
        var arguments = call.Exception is not null
            ? JsonSerializer.SerializeToElement($"unparseable arguments: {call.Exception.Message}", FlywheelJson.Info<string>())
            : JsonSerializer.SerializeToElement(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>)));
        return new ResponseToolCall { Name = call.Name, Arguments = arguments };
    }
}
