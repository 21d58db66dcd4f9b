using System.Text.Json;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Evaluators;
using Flywheel.Evals.Suites;

namespace Flywheel.Evals.Judges;

/// <summary>
/// Semantic equivalence by a judge: the answer is graded 1–5 against the expected answers with the rubric of the prompt file;
/// the grade maps to a score (grade − 1) / 4 in [0,1], which passes at the threshold (default 0.75, grade 4).
/// </summary>
public sealed class LlmGroundTruthMatchEvaluator : IEvaluator
{
    /// <summary>The threshold when the suite sets none: grade 4 of 5, "equivalent, minor differences".</summary>
    public const double DefaultThreshold = 0.75;

    /// <summary>The answer's shape.</summary>
    public static JudgeAnswerSchema AnswerSchema { get; } = new("flywheel_ground_truth_match", """
        {
          "type": "object",
          "properties": {
            "grade": { "type": "integer", "minimum": 1, "maximum": 5, "description": "1 = contradicts or misses the expected answer … 5 = same meaning" },
            "reason": { "type": "string", "description": "one sentence: what matches or differs" }
          },
          "required": ["grade", "reason"],
          "additionalProperties": false
        }
        """);

    private readonly Judge? _judge;
    private readonly JudgeInstructions _instructions;
    private readonly double _threshold;

    /// <summary>Creates the evaluator.</summary>
    /// <param name="config">The suite entry.</param>
    /// <param name="judge">The judge; null when only listing cases (scoring then gives an error).</param>
    /// <param name="prompt">The prompt file's text.</param>
    public LlmGroundTruthMatchEvaluator(EvaluatorConfig config, Judge? judge, string prompt)
    {
        ArgumentNullException.ThrowIfNull(config);
        Name = config.Name;
        _judge = judge;
        _instructions = new JudgeInstructions(prompt, AnswerSchema);
        _threshold = config.Threshold ?? DefaultThreshold;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Kind => EvaluatorKinds.GroundTruthMatch;

    /// <inheritdoc />
    public bool AppliesTo(Row row) => row.Expected?.Answers is { Count: > 0 };

    /// <inheritdoc />
    public async ValueTask<Score> EvaluateAsync(EvaluationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var answers = context.Row.Expected!.Answers!;
        var output = context.Response.Output ?? string.Empty;
        if (string.IsNullOrWhiteSpace(output))
        {
            // Nothing to judge: an empty answer is never equivalent, and asking would spend a call to learn that.
            return Score.Decided(Name, 0, false, $"empty output; expected e.g. \"{GroundTruthMatchEvaluator.Trim(answers[0])}\"");
        }

        if (_judge is null)
        {
            return Score.Failed(Name, "no judge configured");
        }

        var payload = JudgePayload.Build(w =>
        {
            JudgePayload.WriteInput(w, context.Row);
            w.WriteStartArray("expected_answers");
            foreach (var answer in answers)
            {
                w.WriteStringValue(answer);
            }

            w.WriteEndArray();
            w.WriteString("response", output);
        });
        var replies = await _judge.AskAsync(new JudgeQuestion(_instructions, payload), cancellationToken).ConfigureAwait(false);
        var vote = JudgeVote.Of(replies, a => ScoreOf(a) >= _threshold);
        if (vote.Passed is not { } passed)
        {
            return Score.Failed(Name, vote.Error!) with { Votes = Votes(vote), Unstable = Unstable(vote) };
        }

        // The grade reported is the median of the answers that carried the vote.
        var grades = vote.Majority.Select(i => replies[i].Value!.Value.GetProperty("grade").GetInt32()).Order().ToList();
        var grade = grades[(grades.Count - 1) / 2];
        var chosen = replies[vote.Majority.First(i => replies[i].Value!.Value.GetProperty("grade").GetInt32() == grade)].Value!.Value;
        var score = (grade - 1) / 4.0;
        var reason = $"judge grade {grade}/5 ({score:0.00} {(passed ? ">=" : "<")} {_threshold:0.00}): {chosen.GetProperty("reason").GetString()}";
        if (vote.Summary.Length > 0)
        {
            reason += $" · {vote.Summary}";
        }

        var details = new Dictionary<string, object?> { ["grade"] = grade, ["judge"] = _judge.Model };
        if (replies.Count > 1)
        {
            details["grades"] = replies.Select(r => r.Value is { } v ? v.GetProperty("grade").GetInt32() : (int?)null).ToList();
        }

        return Score.Decided(Name, score, passed, reason, details) with { Votes = Votes(vote), Unstable = Unstable(vote) };
    }

    private static double ScoreOf(JsonElement answer) => (answer.GetProperty("grade").GetInt32() - 1) / 4.0;

    internal static IReadOnlyList<string>? Votes(JudgeVote vote) => vote.Votes.Count > 1 ? vote.Votes : null;

    internal static bool? Unstable(JudgeVote vote) => vote.Unstable ? true : null;
}
