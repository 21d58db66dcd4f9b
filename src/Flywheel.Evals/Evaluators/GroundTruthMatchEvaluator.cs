using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Suites;
using Flywheel.Evals.Text;

namespace Flywheel.Evals.Evaluators;

/// <summary>Compares the answer with the row's acceptable answers: exact, token-f1, numeric, json or regex.</summary>
public sealed class GroundTruthMatchEvaluator : IEvaluator
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);
    private readonly string _method;
    private readonly double _threshold;
    private readonly double _tolerance;

    /// <summary>Creates the evaluator from its suite settings.</summary>
    public GroundTruthMatchEvaluator(EvaluatorConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Name = config.Name;
        _method = config.Method;
        // Binary methods pass only at 1; token-f1 needs an explicit threshold (the suite loader insists).
        _threshold = config.Threshold ?? 1.0;
        _tolerance = config.Tolerance ?? 1e-9;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Kind => EvaluatorKinds.GroundTruthMatch;

    /// <inheritdoc />
    public bool AppliesTo(Row row)
    {
        var answers = row.Expected?.Answers;
        if (answers is null || answers.Count == 0)
        {
            return false;
        }

        // A numeric comparison needs a number to compare; answers without one are for other methods.
        return _method != "numeric" || answers.Any(a => NumberExtractor.Extract(a, Locale(row)).Count > 0);
    }

    /// <inheritdoc />
    public IEnumerable<string> CheckRow(Row row) =>
        // Only json and regex answers can be malformed; the other methods skip the iterator (called for every row).
        _method is "json" or "regex" ? CheckAnswers(row) : [];

    private IEnumerable<string> CheckAnswers(Row row)
    {
        var answers = row.Expected?.Answers ?? [];
        for (var i = 0; i < answers.Count; i++)
        {
            if (_method == "json" && !TryParseJson(answers[i], out _, out var error))
            {
                yield return $"expected.answers[{i}] is not valid JSON for evaluator '{Name}' (method json): {error}";
            }
            else if (_method == "regex" && !IsValidPattern(answers[i], out var patternError))
            {
                yield return $"expected.answers[{i}] is not a valid regular expression for evaluator '{Name}': {patternError}";
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<Score> EvaluateAsync(EvaluationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var answers = context.Row.Expected?.Answers ?? [];
        var output = context.Response.Output ?? string.Empty;
        var score = _method switch
        {
            "exact" => Exact(output, answers),
            "token-f1" => TokenF1(output, answers),
            "numeric" => Numeric(output, answers, Locale(context.Row)),
            "json" => Json(output, answers),
            "regex" => RegexMatch(output, answers),
            _ => Score.Failed(Name, $"unknown method '{_method}'"),
        };
        return ValueTask.FromResult(score);
    }

    private static string? Locale(Row row) => row.Tags.TryGetValue("locale", out var locale) ? locale : null;

    private Score Exact(string output, IReadOnlyList<string> answers)
    {
        var normalized = AnswerNormalizer.Normalize(output);
        foreach (var answer in answers)
        {
            if (SameAnswer(output, normalized, answer))
            {
                return Score.Decided(Name, 1, true, $"matches expected answer \"{Trim(answer)}\"");
            }
        }

        return Score.Decided(Name, 0, false, $"output \"{Trim(output)}\" matches none of the {answers.Count} expected answer(s) after normalization; expected e.g. \"{Trim(answers[0])}\"");
    }

    private static bool SameAnswer(string output, string normalizedOutput, string answer)
    {
        var normalizedAnswer = AnswerNormalizer.Normalize(answer);
        // An answer made only of punctuation and symbols ("👍", "—") normalizes to nothing, and so would an empty output:
        // such an answer is compared as written, or the empty output would match it.
        return normalizedAnswer.Length == 0 && answer.Length > 0
            ? string.Equals(Composed(output.Trim()), Composed(answer.Trim()), StringComparison.Ordinal)
            : string.Equals(normalizedOutput, normalizedAnswer, StringComparison.Ordinal);
    }

    private static string Composed(string text) => UnicodeNormalization.Normalize(text, System.Text.NormalizationForm.FormC);

    private Score TokenF1(string output, IReadOnlyList<string> answers)
    {
        // Token spans rather than token strings: the gate scores every row, and the strings were most of its allocations.
        using var prediction = TokenSpans.Of(output);
        var best = -1.0;
        var bestAnswer = answers[0];
        foreach (var answer in answers)
        {
            using var reference = TokenSpans.Of(answer);
            // A symbols-only answer has no tokens to overlap: it is all or nothing, compared as written (see SameAnswer).
            var f1 = reference.Count == 0 && answer.Length > 0
                ? SameAnswer(output, string.Empty, answer) ? 1.0 : 0.0
                : TokenSpans.F1(prediction, reference);
            if (f1 > best)
            {
                best = f1;
                bestAnswer = answer;
            }
        }

        var passed = best >= _threshold;
        var comparison = passed ? ">=" : "<";
        var reason = output.Length == 0
            ? $"empty output; expected \"{Trim(bestAnswer)}\""
            : $"token F1 {best:0.00} {comparison} {_threshold:0.00} against \"{Trim(bestAnswer)}\"";
        return Score.Decided(Name, best, passed, reason, new Dictionary<string, object?> { ["best_answer"] = bestAnswer });
    }

    private Score Numeric(string output, IReadOnlyList<string> answers, string? locale)
    {
        var found = NumberExtractor.Extract(output, locale);
        var best = -1.0;
        List<string> bestMissing = [];
        var bestAnswer = answers[0];
        foreach (var answer in answers)
        {
            var expected = NumberExtractor.Extract(answer, locale);
            if (expected.Count == 0)
            {
                continue;
            }

            var missing = expected.Where(e => !found.Any(f => NumberExtractor.Close(e.Value, f.Value, _tolerance))).Select(e => e.Text).ToList();
            var share = (double)(expected.Count - missing.Count) / expected.Count;
            if (share > best)
            {
                best = share;
                bestMissing = missing;
                bestAnswer = answer;
            }
        }

        var passed = best >= _threshold && bestMissing.Count == 0;
        var seen = found.Count == 0 ? "no numbers" : string.Join(", ", found.Select(f => f.Text));
        var reason = passed
            ? $"every number of \"{Trim(bestAnswer)}\" appears in the output"
            : $"missing {string.Join(", ", bestMissing)} (tolerance {_tolerance.ToString("G3", CultureInfo.InvariantCulture)}); output has {seen}";
        return Score.Decided(Name, best, passed, reason);
    }

    private Score Json(string output, IReadOnlyList<string> answers)
    {
        if (!TryParseJson(StripFence(output), out var actual, out var error))
        {
            return Score.Decided(Name, 0, false, $"output is not JSON: {error}");
        }

        using (actual)
        {
            string? firstDifference = null;
            foreach (var answer in answers)
            {
                if (!TryParseJson(answer, out var expected, out var answerError))
                {
                    return Score.Failed(Name, $"expected answer is not valid JSON: {answerError}");
                }

                using (expected)
                {
                    var difference = JsonStructure.FirstDifference(expected!.RootElement, actual!.RootElement, "$");
                    if (difference is null)
                    {
                        return Score.Decided(Name, 1, true, "output JSON equals an expected answer (key order ignored)");
                    }

                    firstDifference ??= difference;
                }
            }

            return Score.Decided(Name, 0, false, $"output JSON differs from the expected answer: {firstDifference}");
        }
    }

    private Score RegexMatch(string output, IReadOnlyList<string> answers)
    {
        try
        {
            foreach (var pattern in answers)
            {
                if (Regex.IsMatch(output, pattern, RegexOptions.CultureInvariant, RegexTimeout))
                {
                    return Score.Decided(Name, 1, true, $"output matches /{Trim(pattern)}/");
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            return Score.Failed(Name, $"regular expression timed out after {RegexTimeout.TotalSeconds:0} s");
        }
        catch (ArgumentException ex)
        {
            // CheckRow reports the pattern; a caller that scores anyway gets an undecided row, not an exception.
            return Score.Failed(Name, $"expected answer is not a valid regular expression: {ex.Message}");
        }

        return Score.Decided(Name, 0, false, $"output \"{Trim(output)}\" matches none of /{string.Join("/, /", answers.Select(a => Trim(a)))}/");
    }

    private static bool IsValidPattern(string pattern, out string error)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, RegexTimeout);
            error = string.Empty;
            return true;
        }
        catch (ArgumentException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    private static bool TryParseJson(string text, out JsonDocument? document, out string error)
    {
        try
        {
            document = JsonDocument.Parse(text);
            error = string.Empty;
            return true;
        }
        catch (JsonException ex)
        {
            document = null;
            error = ex.Message;
            return false;
        }
    }

    private static string StripFence(string output)
    {
        // Models often wrap JSON in a Markdown fence; the fence is formatting, not content.
        var trimmed = output.Trim();
        if (!trimmed.StartsWith("```", StringComparison.Ordinal))
        {
            return trimmed;
        }

        var firstNewline = trimmed.IndexOf('\n', StringComparison.Ordinal);
        var lastFence = trimmed.LastIndexOf("```", StringComparison.Ordinal);
        return firstNewline > 0 && lastFence > firstNewline ? trimmed[(firstNewline + 1)..lastFence].Trim() : trimmed;
    }

    internal static string Trim(string text, int max = 120)
    {
        var single = text.ReplaceLineEndings(" ");
        return single.Length <= max ? single : string.Concat(single.AsSpan(0, max - 1), "…");
    }
}
