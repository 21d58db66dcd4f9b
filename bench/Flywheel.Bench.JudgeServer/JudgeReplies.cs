using System.Text.Json;
using System.Text.RegularExpressions;

namespace Flywheel.Bench.JudgeServer;

/// <summary>The server's answer to one request, and whether a rule recognised the request.</summary>
internal sealed record JudgeReply(string Content, bool Recognised);

/// <summary>
/// Mechanical grading, so a judged run has verdicts that can be checked and repeated. One rule for both tools: an answer
/// is right when it holds every number and at least half the words of one reference answer.
/// <list type="bullet">
/// <item>promptfoo's <c>llm-rubric</c> (its default grading prompt, <c>&lt;Output&gt;…&lt;/Output&gt;&lt;Rubric&gt;…&lt;/Rubric&gt;</c>,
/// the reference answers listed in the rubric as <c>- answer</c> lines) gets <c>{"reason","pass","score"}</c>;</item>
/// <item>Flywheel's ground-truth-match <c>llm</c> question (issue 7: a JSON case with <c>response</c> and
/// <c>expected_answers</c>) gets <c>{"grade","reason"}</c>, grade 5 when right and 1 when not.</item>
/// </list>
/// </summary>
/// <remarks>
/// Any other request (e.g. Flywheel's groundedness or tool-selection questions) gets a rubric-shaped answer and is counted
/// as unrecognised in /stats, which bench/peers/run.sh reports.
/// </remarks>
internal static partial class JudgeReplies
{
    public static JudgeReply Reply(JsonElement request)
    {
        string? system = null;
        string? user = null;
        if (request.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in messages.EnumerateArray())
            {
                var role = message.TryGetProperty("role", out var r) ? r.GetString() : null;
                var content = message.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                if (role is "system" or "developer")
                {
                    system ??= content;
                }
                else if (role == "user")
                {
                    user ??= content;
                }
            }
        }

        if (user is not null && user.TrimStart().StartsWith('{') && GroundTruthCase(user) is var (response, expected) && response is not null)
        {
            var right = Matches(response, expected, out var reference);
            var reason = right ? $"states the facts of \"{reference}\"" : "no expected answer's figures and words are in the response";
            return new JudgeReply(JsonSerializer.Serialize(new { grade = right ? 5 : 1, reason }), true);
        }

        var rubric = user is null ? null : Rubric().Match(user);
        if (rubric is { Success: true } && (system?.Contains("pass", StringComparison.Ordinal) ?? true))
        {
            return new JudgeReply(GradeRubric(rubric.Groups["output"].Value, rubric.Groups["rubric"].Value), true);
        }

        return new JudgeReply(JsonSerializer.Serialize(new { reason = "bench judge: request not recognised", pass = true, score = 1.0 }), false);
    }

    private static string GradeRubric(string output, string rubric)
    {
        var references = rubric.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("- ", StringComparison.Ordinal))
            .Select(l => l[2..])
            .ToList();
        if (Matches(output, references, out var reference))
        {
            return JsonSerializer.Serialize(new { reason = $"states the facts of \"{reference}\"", pass = true, score = 1.0 });
        }

        var reason = references.Count == 0 ? "the rubric lists no reference answer" : "no reference answer's figures and words are in the output";
        return JsonSerializer.Serialize(new { reason, pass = false, score = 0.0 });
    }

    private static (string? Response, List<string> Expected) GroundTruthCase(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object &&
                root.TryGetProperty("response", out var response) && response.ValueKind == JsonValueKind.String &&
                root.TryGetProperty("expected_answers", out var expected) && expected.ValueKind == JsonValueKind.Array)
            {
                return (response.GetString(), expected.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!).ToList());
            }
        }
        catch (JsonException)
        {
            // Not a JSON case: some other question.
        }

        return (null, []);
    }

    private static bool Matches(string output, IReadOnlyList<string> references, out string reference)
    {
        var outputWords = Words(output);
        var outputNumbers = Numbers(output);
        foreach (var candidate in references)
        {
            var words = Words(candidate);
            var overlap = words.Count == 0 ? 1.0 : (double)words.Count(outputWords.Contains) / words.Count;
            if (Numbers(candidate).All(outputNumbers.Contains) && overlap >= 0.5)
            {
                reference = candidate;
                return true;
            }
        }

        reference = string.Empty;
        return false;
    }

    private static HashSet<string> Words(string text) =>
        WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

    private static HashSet<string> Numbers(string text) =>
        NumberPattern().Matches(text).Select(m => m.Value.Replace(",", string.Empty, StringComparison.Ordinal).Replace(".", string.Empty, StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"<Output>\s*(?<output>.*?)\s*</Output>\s*<Rubric>\s*(?<rubric>.*?)\s*</Rubric>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Rubric();

    [GeneratedRegex(@"\p{L}{3,}", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\d[\d.,]*\d|\d", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();
}
