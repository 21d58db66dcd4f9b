using System.Text.Json;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Evaluators;
using Flywheel.Evals.Suites;

namespace Flywheel.Evals.Judges;

/// <summary>
/// Tool selection by the rules, with a judge for what the rules cannot decide: a free-text argument that is none of the
/// acceptable values verbatim ("five hundred euros" for 500, "next Friday" for a date) is put to the judge, which says
/// whether it means an acceptable value. Calls the rules already accept or reject for other reasons cost no call.
/// </summary>
public sealed class LlmToolSelectionEvaluator : IEvaluator
{
    /// <summary>The answer's shape.</summary>
    public static JudgeAnswerSchema AnswerSchema { get; } = new("flywheel_tool_selection", """
        {
          "type": "object",
          "properties": {
            "judgements": {
              "type": "array",
              "items": {
                "type": "object",
                "properties": {
                  "id": { "type": "integer", "description": "the item's id" },
                  "equivalent": { "type": "boolean", "description": "true when the value means one of the acceptable values" },
                  "reason": { "type": "string", "description": "one short sentence" }
                },
                "required": ["id", "equivalent", "reason"],
                "additionalProperties": false
              }
            }
          },
          "required": ["judgements"],
          "additionalProperties": false
        }
        """);

    private readonly ToolSelectionEvaluator _rules;
    private readonly Judge? _judge;
    private readonly JudgeInstructions _instructions;

    /// <summary>Creates the evaluator.</summary>
    /// <param name="config">The suite entry.</param>
    /// <param name="judge">The judge; null when only listing cases.</param>
    /// <param name="prompt">The prompt file's text.</param>
    public LlmToolSelectionEvaluator(EvaluatorConfig config, Judge? judge, string prompt)
    {
        ArgumentNullException.ThrowIfNull(config);
        _rules = new ToolSelectionEvaluator(config);
        _judge = judge;
        _instructions = new JudgeInstructions(prompt, AnswerSchema);
    }

    /// <inheritdoc />
    public string Name => _rules.Name;

    /// <inheritdoc />
    public string Kind => EvaluatorKinds.ToolSelection;

    /// <inheritdoc />
    public bool AppliesTo(Row row) => _rules.AppliesTo(row);

    /// <inheritdoc />
    public IEnumerable<string> CheckRow(Row row) => _rules.CheckRow(row);

    /// <inheritdoc />
    public async ValueTask<Score> EvaluateAsync(EvaluationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var questions = _rules.OpenQuestions(context.Row, context.Response);
        if (questions.Count == 0)
        {
            return _rules.Evaluate(context.Row, context.Response, accepted: null);
        }

        if (_judge is null)
        {
            return Score.Failed(Name, "no judge configured");
        }

        var payload = JudgePayload.Build(w =>
        {
            JudgePayload.WriteInput(w, context.Row);
            w.WriteStartArray("items");
            for (var i = 0; i < questions.Count; i++)
            {
                var question = questions[i];
                w.WriteStartObject();
                w.WriteNumber("id", i + 1);
                w.WriteString("tool", question.Tool);
                if (question.ToolDescription is { } description)
                {
                    w.WriteString("tool_description", description);
                }

                w.WriteString("argument", question.Argument);
                if (question.Schema is { ValueKind: JsonValueKind.Object } schema && schema.TryGetProperty("description", out var argumentDescription) &&
                    argumentDescription.ValueKind == JsonValueKind.String)
                {
                    w.WriteString("argument_description", argumentDescription.GetString());
                }

                w.WritePropertyName("value");
                question.Value.WriteTo(w);
                w.WriteStartArray("acceptable");
                foreach (var value in question.Acceptable)
                {
                    value.WriteTo(w);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
        var replies = await _judge.AskAsync(new JudgeQuestion(_instructions, payload, a => CheckIds(a, questions.Count)), cancellationToken).ConfigureAwait(false);
        var votes = Enumerable.Range(1, questions.Count).Select(id => JudgeVote.Of(replies, a => Judgement(a, id).GetProperty("equivalent").GetBoolean())).ToList();
        var perRepeat = JudgeVote.Of(replies, a => Enumerable.Range(1, questions.Count).All(id => Judgement(a, id).GetProperty("equivalent").GetBoolean()));
        var unstable = votes.Any(v => v.Unstable) ? true : (bool?)null;
        var repeatVotes = LlmGroundTruthMatchEvaluator.Votes(perRepeat);
        if (votes.FirstOrDefault(v => v.Passed is null) is { } undecided)
        {
            return Score.Failed(Name, undecided.Error!) with { Votes = repeatVotes, Unstable = unstable };
        }

        var accepted = questions.Where((q, i) => votes[i].Passed == true).Select(q => q.Key).ToHashSet();
        var score = _rules.Evaluate(context.Row, context.Response, accepted);
        var findings = questions.Select((q, i) =>
        {
            var reason = Judgement(replies[votes[i].Majority[0]].Value!.Value, i + 1).GetProperty("reason").GetString();
            var verdict = votes[i].Passed == true ? "means" : "does not mean";
            var summary = votes[i].Summary.Length > 0 ? $", {votes[i].Summary}" : string.Empty;
            return $"{q.Tool}.{q.Argument} \"{ArgumentValues.Display(q.Value)}\" {verdict} {string.Join(" / ", q.Acceptable.Select(ArgumentValues.Display))} ({reason}{summary})";
        }).ToList();
        var details = new Dictionary<string, object?>(score.Details ?? new Dictionary<string, object?>())
        {
            ["judged"] = questions.Select((q, i) => new Dictionary<string, object?>
            {
                ["tool"] = q.Tool,
                ["argument"] = q.Argument,
                ["value"] = ArgumentValues.Display(q.Value),
                ["equivalent"] = votes[i].Passed,
            }).ToList(),
            ["judge"] = _judge.Model,
        };
        return score with { Reason = $"{score.Reason}; judge: {string.Join("; ", findings)}", Details = details, Votes = repeatVotes, Unstable = unstable };
    }

    private static JsonElement Judgement(JsonElement answer, int id) =>
        answer.GetProperty("judgements").EnumerateArray().First(j => j.GetProperty("id").GetInt32() == id);

    private static string? CheckIds(JsonElement answer, int count)
    {
        var ids = answer.GetProperty("judgements").EnumerateArray().Select(j => j.GetProperty("id").GetInt32()).ToList();
        var missing = Enumerable.Range(1, count).Where(id => !ids.Contains(id)).ToList();
        if (missing.Count > 0)
        {
            return $"no judgement for item(s) {string.Join(", ", missing)}";
        }

        return ids.Count != ids.Distinct().Count() || ids.Any(id => id < 1 || id > count)
            ? $"judgements must name each item id 1..{count} exactly once"
            : null;
    }
}
