using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Flywheel.Testing.ChatServer;

/// <summary>
/// A stand-in judge with mechanical rules, so tests know the answer a request must get. It recognises Flywheel's three judge
/// questions by the answer schema in the system message and reads the case from the user message:
/// <list type="bullet">
/// <item>ground truth: grade 5 when every number of an expected answer is in the response and half its words are, 3 when only the numbers are, else 1;</item>
/// <item>groundedness: one claim per sentence; supported when all its numbers (or, without numbers, half its words) occur in one chunk;</item>
/// <item>tool selection: equivalent when the value, letters and digits only, contains an acceptable value or is contained in it.</item>
/// </list>
/// Anything else gets a plain text answer.
/// </summary>
public static partial class DeterministicJudge
{
    /// <summary>The answer to a request.</summary>
    public static ServerReply Reply(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var messages = request.Messages;
        var system = messages.FirstOrDefault(m => m.Role is "system" or "developer").Content ?? string.Empty;
        // A retry after an invalid answer appends two messages; the case is always the first user message.
        var payloadText = messages.FirstOrDefault(m => m.Role == "user").Content;
        if (payloadText is null || !payloadText.TrimStart().StartsWith('{'))
        {
            return ServerReply.Text("Hello from the test server.");
        }

        using var payload = JsonDocument.Parse(payloadText);
        var root = payload.RootElement;
        if (system.Contains("\"judgements\"", StringComparison.Ordinal))
        {
            return ServerReply.Text(ToolSelection(root));
        }

        if (system.Contains("\"claims\"", StringComparison.Ordinal))
        {
            return ServerReply.Text(Groundedness(root));
        }

        if (system.Contains("\"grade\"", StringComparison.Ordinal))
        {
            return ServerReply.Text(GroundTruth(root));
        }

        return ServerReply.Text("Hello from the test server.");
    }

    /// <summary>The grade the stand-in gives a response against expected answers.</summary>
    public static int Grade(string response, IEnumerable<string> expected)
    {
        var best = 1;
        var words = Words(response);
        var numbers = Numbers(response);
        foreach (var answer in expected)
        {
            var answerWords = Words(answer);
            var answerNumbers = Numbers(answer);
            var numbersOk = answerNumbers.All(numbers.Contains);
            var overlap = answerWords.Count == 0 ? 1.0 : (double)answerWords.Count(words.Contains) / answerWords.Count;
            var grade = numbersOk && overlap >= 0.5 ? 5 : numbersOk && answerNumbers.Count > 0 ? 3 : 1;
            best = Math.Max(best, grade);
        }

        return best;
    }

    private static string GroundTruth(JsonElement root)
    {
        var response = root.GetProperty("response").GetString() ?? string.Empty;
        var expected = root.GetProperty("expected_answers").EnumerateArray().Select(a => a.GetString() ?? string.Empty).ToList();
        var grade = Grade(response, expected);
        var reason = grade switch
        {
            5 => "same facts as the expected answer",
            3 => "right figures, different wording or missing details",
            _ => "the figures or the meaning differ from the expected answer",
        };
        return JsonSerializer.Serialize(new { grade, reason });
    }

    private static string Groundedness(JsonElement root)
    {
        var response = root.GetProperty("response").GetString() ?? string.Empty;
        var chunks = root.GetProperty("context").EnumerateArray()
            .Select(c => (Id: c.GetProperty("id").GetString() ?? string.Empty, Text: c.GetProperty("text").GetString() ?? string.Empty))
            .ToList();
        var claims = new List<object>();
        foreach (var sentence in Sentences().Split(response).Select(s => s.Trim()).Where(s => s.Length > 0))
        {
            var numbers = Numbers(sentence);
            var words = Words(sentence);
            string? chunk = null;
            foreach (var (id, text) in chunks)
            {
                var chunkNumbers = Numbers(text);
                var chunkWords = Words(text);
                var supported = numbers.Count > 0
                    ? numbers.All(chunkNumbers.Contains)
                    : words.Count == 0 || (double)words.Count(chunkWords.Contains) / words.Count >= 0.5;
                if (supported)
                {
                    chunk = id;
                    break;
                }
            }

            claims.Add(new
            {
                claim = sentence,
                verdict = chunk is null ? "not_mentioned" : "supported",
                chunk,
                reason = chunk is null ? "no context chunk states this" : $"stated in {chunk}",
            });
        }

        return JsonSerializer.Serialize(new { claims });
    }

    private static string ToolSelection(JsonElement root)
    {
        var judgements = new List<object>();
        foreach (var item in root.GetProperty("items").EnumerateArray())
        {
            var value = Normalize(item.GetProperty("value").ToString());
            var equivalent = item.GetProperty("acceptable").EnumerateArray()
                .Select(a => Normalize(a.ToString()))
                .Any(a => a.Length > 0 && (value.Contains(a, StringComparison.Ordinal) || a.Contains(value, StringComparison.Ordinal)));
            judgements.Add(new
            {
                id = item.GetProperty("id").GetInt32(),
                equivalent,
                reason = equivalent ? "names the same thing" : "a different value",
            });
        }

        return JsonSerializer.Serialize(new { judgements });
    }

    private static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static HashSet<string> Words(string text) =>
        WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value).Where(w => w.Length > 3).ToHashSet(StringComparer.Ordinal);

    private static HashSet<string> Numbers(string text) =>
        NumberPattern().Matches(text).Select(m => m.Value.Replace(",", string.Empty, StringComparison.Ordinal).TrimEnd('.')).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\d[\d,]*(\.\d+)?")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex Sentences();
}
