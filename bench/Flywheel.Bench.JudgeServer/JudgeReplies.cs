using System.Text.Json;
using System.Text.RegularExpressions;

namespace Flywheel.Bench.JudgeServer;

/// <summary>The server's answer to one request, and whether a rule recognised the request.</summary>
internal sealed record JudgeReply(string Content, bool Recognised);

/// <summary>
/// Mechanical grading, so a judged run has verdicts that can be checked and repeated:
/// promptfoo's <c>llm-rubric</c> (its default grading prompt: <c>&lt;Output&gt;…&lt;/Output&gt;&lt;Rubric&gt;…&lt;/Rubric&gt;</c>,
/// answered with <c>{"reason","pass","score"}</c>) passes when the output holds every number and at least half the words of
/// one reference answer listed in the rubric as <c>- answer</c> lines.
/// </summary>
/// <remarks>
/// Flywheel's own judge questions (issue 7's llm methods) are not recognised yet: they get the same rubric-shaped answer and
/// are counted as unrecognised in /stats, which bench/peers/run.sh reports. When the llm methods merge, their questions
/// are to be answered here (e.g. by the rules of tests/Flywheel.Testing.ChatServer's DeterministicJudge).
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
        var outputWords = Words(output);
        var outputNumbers = Numbers(output);
        foreach (var reference in references)
        {
            var words = Words(reference);
            var numbers = Numbers(reference);
            var overlap = words.Count == 0 ? 1.0 : (double)words.Count(outputWords.Contains) / words.Count;
            if (numbers.All(outputNumbers.Contains) && overlap >= 0.5)
            {
                return JsonSerializer.Serialize(new { reason = $"states the facts of \"{reference}\"", pass = true, score = 1.0 });
            }
        }

        var reason = references.Count == 0 ? "the rubric lists no reference answer" : "no reference answer's figures and words are in the output";
        return JsonSerializer.Serialize(new { reason, pass = false, score = 0.0 });
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
