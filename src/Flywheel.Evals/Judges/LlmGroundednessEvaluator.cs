using System.Text.Json;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Evaluators;
using Flywheel.Evals.Suites;

namespace Flywheel.Evals.Judges;

/// <summary>
/// Groundedness by a judge: the answer's factual claims are extracted and each is judged against the row's context as
/// supported, contradicted or not mentioned. Score = supported / claims; the reason names every unsupported claim.
/// </summary>
public sealed class LlmGroundednessEvaluator : IEvaluator
{
    /// <summary>A claim the context backs.</summary>
    public const string Supported = "supported";

    /// <summary>A claim the context says otherwise about.</summary>
    public const string Contradicted = "contradicted";

    /// <summary>A claim the context does not address.</summary>
    public const string NotMentioned = "not_mentioned";

    /// <summary>The answer's shape.</summary>
    public static JudgeAnswerSchema AnswerSchema { get; } = new("flywheel_groundedness", """
        {
          "type": "object",
          "properties": {
            "claims": {
              "type": "array",
              "items": {
                "type": "object",
                "properties": {
                  "claim": { "type": "string", "description": "one factual claim of the response, in its words" },
                  "verdict": { "type": "string", "enum": ["supported", "contradicted", "not_mentioned"] },
                  "chunk": { "type": ["string", "null"], "description": "the id of the context chunk that decides it, or null" },
                  "reason": { "type": "string", "description": "one short sentence" }
                },
                "required": ["claim", "verdict", "chunk", "reason"],
                "additionalProperties": false
              }
            }
          },
          "required": ["claims"],
          "additionalProperties": false
        }
        """);

    private readonly Judge? _judge;
    private readonly JudgeInstructions _instructions;
    private readonly double _threshold;

    /// <summary>Creates the evaluator.</summary>
    /// <param name="config">The suite entry (its threshold is required by the suite loader).</param>
    /// <param name="judge">The judge; null when only listing cases.</param>
    /// <param name="prompt">The prompt file's text.</param>
    public LlmGroundednessEvaluator(EvaluatorConfig config, Judge? judge, string prompt)
    {
        ArgumentNullException.ThrowIfNull(config);
        Name = config.Name;
        _judge = judge;
        _instructions = new JudgeInstructions(prompt, AnswerSchema);
        _threshold = config.Threshold ?? 1.0;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Kind => EvaluatorKinds.Groundedness;

    /// <inheritdoc />
    public bool AppliesTo(Row row) => row.Context is { Count: > 0 };

    /// <inheritdoc />
    public async ValueTask<Score> EvaluateAsync(EvaluationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var output = context.Response.Output;
        if (string.IsNullOrWhiteSpace(output))
        {
            return Score.Decided(Name, 1, true, "no factual claims to check (empty answer)");
        }

        if (_judge is null)
        {
            return Score.Failed(Name, "no judge configured");
        }

        var payload = JudgePayload.Build(w =>
        {
            JudgePayload.WriteInput(w, context.Row);
            w.WriteStartArray("context");
            foreach (var chunk in context.Row.Context!)
            {
                w.WriteStartObject();
                w.WriteString("id", chunk.Id);
                w.WriteString("text", chunk.Text);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("response", output);
        });
        var replies = await _judge.AskAsync(new JudgeQuestion(_instructions, payload), cancellationToken).ConfigureAwait(false);
        var vote = JudgeVote.Of(replies, a => Ratio(a) >= _threshold);
        if (vote.Passed is not { } passed)
        {
            return Score.Failed(Name, vote.Error!) with { Votes = LlmGroundTruthMatchEvaluator.Votes(vote), Unstable = LlmGroundTruthMatchEvaluator.Unstable(vote) };
        }

        // The first answer on the winning side is the one reported: its claims name what to fix.
        var chosen = replies[vote.Majority[0]].Value!.Value;
        var claims = chosen.GetProperty("claims").EnumerateArray().ToList();
        var score = Ratio(chosen);
        var supported = claims.Count(c => c.GetProperty("verdict").GetString() == Supported);
        var contradicted = Describe(claims, Contradicted);
        var notMentioned = Describe(claims, NotMentioned);
        var reason = claims.Count == 0
            ? "no factual claims to check (the judge found none)"
            : supported == claims.Count
                ? $"all {claims.Count} claim(s) supported by the context"
                : $"{supported} of {claims.Count} claim(s) supported ({score:0.00} {(passed ? ">=" : "<")} {_threshold:0.00})"
                  + (contradicted.Count > 0 ? $"; contradicted: {string.Join("; ", contradicted)}" : string.Empty)
                  + (notMentioned.Count > 0 ? $"; not mentioned: {string.Join("; ", notMentioned)}" : string.Empty);
        if (vote.Summary.Length > 0)
        {
            reason += $" · {vote.Summary}";
        }

        var details = new Dictionary<string, object?>
        {
            ["claims"] = claims.Count,
            ["supported"] = supported,
            ["unsupported"] = claims.Where(c => c.GetProperty("verdict").GetString() != Supported).Select(c => new Dictionary<string, object?>
            {
                ["claim"] = c.GetProperty("claim").GetString(),
                ["verdict"] = c.GetProperty("verdict").GetString(),
                ["chunk"] = c.GetProperty("chunk").ValueKind == JsonValueKind.String ? c.GetProperty("chunk").GetString() : null,
                ["why"] = c.GetProperty("reason").GetString(),
            }).ToList(),
            ["judge"] = _judge.Model,
        };
        return Score.Decided(Name, score, passed, reason, details) with { Votes = LlmGroundTruthMatchEvaluator.Votes(vote), Unstable = LlmGroundTruthMatchEvaluator.Unstable(vote) };
    }

    private static double Ratio(JsonElement answer)
    {
        var claims = answer.GetProperty("claims");
        var total = claims.GetArrayLength();
        return total == 0 ? 1.0 : (double)claims.EnumerateArray().Count(c => c.GetProperty("verdict").GetString() == Supported) / total;
    }

    private static List<string> Describe(IEnumerable<JsonElement> claims, string verdict) =>
        claims.Where(c => c.GetProperty("verdict").GetString() == verdict)
            .Select(c => $"\"{GroundTruthMatchEvaluator.Trim(c.GetProperty("claim").GetString() ?? string.Empty, 100)}\" ({c.GetProperty("reason").GetString()})")
            .ToList();
}
