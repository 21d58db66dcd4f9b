using System.Text.Json;
using Flywheel.Evals.Chat;
using Flywheel.Evals.Suites;
using Microsoft.Extensions.AI;

namespace Flywheel.Evals.Judges;

/// <summary>
/// Asks the judge model a question and returns answers that validate against the question's schema. An answer that does not
/// validate is retried once (the judge is told what was wrong); then it is an error, never a guess.
/// With repeats, the question is asked N times with distinct seeds (distinct requests, so distinct cache entries).
/// </summary>
public sealed class Judge
{
    private readonly IChatClient _client;
    private readonly JudgeConfig _config;

    /// <summary>Creates a judge over a client (the pipeline of the suite's judge endpoint).</summary>
    /// <param name="client">The client; its middleware caches, limits, retries and budgets.</param>
    /// <param name="config">The suite's judge settings.</param>
    /// <param name="repeats">How many times each question is asked (at least 1).</param>
    public Judge(IChatClient client, JudgeConfig config, int repeats)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        _client = client;
        _config = config;
        Repeats = repeats;
    }

    /// <summary>How many times each question is asked.</summary>
    public int Repeats { get; }

    /// <summary>The judge model's name.</summary>
    public string Model => _config.Endpoint.Model;

    /// <summary>Asks a question <see cref="Repeats"/> times; one answer per repeat, in repeat order.</summary>
    public async Task<IReadOnlyList<JudgeAnswer>> AskAsync(JudgeQuestion question, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        var asks = Enumerable.Range(0, Repeats).Select(repeat => AskOnceAsync(question, repeat, cancellationToken));
        return await Task.WhenAll(asks).ConfigureAwait(false);
    }

    private async Task<JudgeAnswer> AskOnceAsync(JudgeQuestion question, int repeat, CancellationToken cancellationToken)
    {
        List<ChatMessage> messages = [new(ChatRole.System, question.Instructions.SystemMessage), new(ChatRole.User, question.Payload)];
        var options = Options(question, repeat);
        try
        {
            var first = await _client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            var (value, problem) = Validate(question, first.Text);
            if (problem is null)
            {
                return JudgeAnswer.Valid(value);
            }

            // The retry is a different request (it carries the rejected answer), so it is cached apart from the first.
            messages.Add(new ChatMessage(ChatRole.Assistant, first.Text));
            messages.Add(new ChatMessage(ChatRole.User, $"That answer is not valid: {problem}. Reply with only the JSON object described above."));
            var second = await _client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            (value, problem) = Validate(question, second.Text);
            return problem is null ? JudgeAnswer.Valid(value) : JudgeAnswer.Failed($"the judge's answer was invalid twice: {problem}");
        }
        catch (CallBudgetExhaustedException)
        {
            return JudgeAnswer.Failed(CallBudgetExhaustedException.Reason);
        }
        catch (ModelCallException ex)
        {
            return JudgeAnswer.Failed($"judge call failed: {ex.Message}");
        }
    }

    private ChatOptions Options(JudgeQuestion question, int repeat)
    {
        var options = new ChatOptions
        {
            // One ask: as deterministic as the endpoint allows. Several: sampling on, one seed per repeat, so they can differ.
            Temperature = (float)(_config.Endpoint.Temperature ?? (Repeats > 1 ? 0.7 : 0.0)),
            Seed = Repeats > 1 ? repeat + 1 : null,
            ResponseFormat = _config.ResponseFormat switch
            {
                JudgeResponseFormats.JsonSchema => question.Schema.ResponseFormat,
                JudgeResponseFormats.JsonObject => ChatResponseFormat.Json,
                _ => null,
            },
        };
        return options;
    }

    private static (JsonElement Value, string? Problem) Validate(JudgeQuestion question, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (default, "the answer is empty");
        }

        JsonElement element;
        try
        {
            using var document = JsonDocument.Parse(ExtractJson(text));
            element = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return (default, $"it is not JSON ({ex.Message.Split(" Path:", 2)[0]})");
        }

        if (JudgeSchemaValidator.FirstProblem(element, question.Schema.Element) is { } problem)
        {
            return (default, $"it does not match the schema: {problem}");
        }

        return (element, question.Check?.Invoke(element));
    }

    /// <summary>The JSON object in an answer: fences and chatter around it are formatting, not content.</summary>
    internal static string ExtractJson(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith('{') && trimmed.EndsWith('}'))
        {
            return trimmed;
        }

        var start = trimmed.IndexOf('{', StringComparison.Ordinal);
        var end = trimmed.LastIndexOf('}');
        return start >= 0 && end > start ? trimmed[start..(end + 1)] : trimmed;
    }
}
