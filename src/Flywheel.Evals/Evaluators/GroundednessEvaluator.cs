using Flywheel.Evals.Datasets;
using Flywheel.Evals.Suites;
using Flywheel.Evals.Text;

namespace Flywheel.Evals.Evaluators;

/// <summary>Lexical groundedness: every sentence of the answer must be supported by one context chunk.</summary>
/// <remarks>
/// A claim (sentence) is supported when at least <c>min_support</c> of its content words, and every one of its numbers,
/// occur in a single chunk. Numbers must match exactly because an invented amount is the costliest hallucination.
/// </remarks>
public sealed class GroundednessEvaluator : IEvaluator
{
    private readonly double _threshold;
    private readonly double _minSupport;

    /// <summary>Creates the evaluator from its suite settings.</summary>
    public GroundednessEvaluator(EvaluatorConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Name = config.Name;
        _threshold = config.Threshold ?? 1.0;
        _minSupport = config.MinSupport ?? 0.6;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Kind => EvaluatorKinds.Groundedness;

    /// <inheritdoc />
    public bool AppliesTo(Row row) => row.Context is { Count: > 0 };

    /// <inheritdoc />
    public ValueTask<Score> EvaluateAsync(EvaluationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var rowContext = context.Row.Context!;
        var chunks = new List<(string Id, ContentWords Words)>(rowContext.Count);
        foreach (var chunk in rowContext)
        {
            chunks.Add((chunk.Id, ContentWords.Of(chunk.Text)));
        }

        var output = context.Response.Output;
        var claims = SplitClaims(output);
        if (claims.Count == 0)
        {
            return ValueTask.FromResult(Score.Decided(Name, 1, true, "no factual claims to check (empty or content-free answer)"));
        }

        var unsupported = new List<string>();
        var unsupportedDetails = new List<object>();
        foreach (var claim in claims)
        {
            var verdict = Support(claim.Words, chunks);
            if (!verdict.Supported)
            {
                // Only an unsupported claim needs its text as a string: it is quoted in the reason.
                var text = output!.Substring(claim.Start, claim.Length);
                unsupported.Add($"\"{GroundTruthMatchEvaluator.Trim(text, 100)}\" ({verdict.Why})");
                unsupportedDetails.Add(new Dictionary<string, object?> { ["claim"] = text, ["why"] = verdict.Why });
            }
        }

        var supported = claims.Count - unsupported.Count;
        var score = (double)supported / claims.Count;
        var passed = score >= _threshold;
        var reason = unsupported.Count == 0
            ? $"all {claims.Count} claim(s) supported by the context"
            : $"{supported} of {claims.Count} claim(s) supported ({score:0.00} {(passed ? ">=" : "<")} {_threshold:0.00}); unsupported: {string.Join("; ", unsupported)}";
        var details = new Dictionary<string, object?>
        {
            ["claims"] = claims.Count,
            ["supported"] = supported,
            ["unsupported"] = unsupportedDetails,
        };
        return ValueTask.FromResult(Score.Decided(Name, score, passed, reason, details));
    }

    private (bool Supported, string? Why) Support(ContentWords claim, List<(string Id, ContentWords Words)> chunks)
    {
        // The common case, a supported claim, is decided without allocating: counts first, lists only to explain a failure.
        var bestCoverage = -1.0;
        var bestChunk = -1;
        for (var c = 0; c < chunks.Count; c++)
        {
            var words = chunks[c].Words;
            var missingNumbers = 0;
            foreach (var number in claim.Numbers)
            {
                if (!words.Numbers.Contains(number))
                {
                    missingNumbers++;
                }
            }

            var coverage = Coverage(claim, words);
            if (missingNumbers == 0 && coverage >= _minSupport)
            {
                return (true, null);
            }

            // Rank chunks by numbers first: a chunk with the right figures is the one the claim was meant to cite.
            var rank = coverage - missingNumbers;
            if (rank > bestCoverage)
            {
                bestCoverage = rank;
                bestChunk = c;
            }
        }

        if (claim.Numbers.Any(n => !chunks.Any(c => c.Words.Numbers.Contains(n))))
        {
            var invented = claim.Numbers.Where(n => !chunks.Any(c => c.Words.Numbers.Contains(n)));
            return (false, $"{string.Join(", ", invented.Select(claim.Written))} appears in no context chunk");
        }

        // No chunk ranks above -1 when each misses a number and covers no word: then no chunk's numbers are blamed.
        var bestMissingNumbers = bestChunk < 0 ? [] : claim.Numbers.Where(n => !chunks[bestChunk].Words.Numbers.Contains(n)).ToList();
        if (bestMissingNumbers.Count > 0)
        {
            return (false, $"{string.Join(", ", bestMissingNumbers.Select(claim.Written))} not in the chunk that supports its words ({chunks[bestChunk].Id})");
        }

        var best = chunks.Max(c => Coverage(claim, c.Words));
        return (false, $"best chunk covers {Math.Round(best * 100)}% of its content words, needs {Math.Round(_minSupport * 100)}%");
    }

    private static double Coverage(ContentWords claim, ContentWords chunk)
    {
        if (claim.Words.Count == 0)
        {
            return 1.0;
        }

        var covered = 0;
        foreach (var word in claim.Words)
        {
            if (chunk.Words.Contains(word))
            {
                covered++;
            }
        }

        return (double)covered / claim.Words.Count;
    }

    // The claims of an answer as ranges of it, with their content words.
    private static List<(int Start, int Length, ContentWords Words)> SplitClaims(string? output)
    {
        var claims = new List<(int, int, ContentWords)>();
        if (string.IsNullOrWhiteSpace(output))
        {
            return claims;
        }

        var start = 0;
        while (start <= output.Length)
        {
            var (end, next) = SentenceEnd(output, start);
            var sentence = output.AsSpan(start, end - start).Trim().TrimStart(ClaimBullets).Trim();
            var words = ContentWords.Of(sentence);
            if (!words.IsEmpty)
            {
                output.AsSpan().Overlaps(sentence, out var offset);
                claims.Add((offset, sentence.Length, words));
            }

            start = next;
        }

        return claims;
    }

    /// <summary>
    /// Where the sentence starting at <paramref name="start"/> ends, and where the next begins: at white space after
    /// . ! ? (or their Spanish/CJK forms), or at a line break (CR LF, or LFs). The same pieces as splitting on
    /// <c>(?&lt;=[.!?。！？])\s+|\r?\n+</c>; the last sentence ends at the end of the text, and its next is past the end.
    /// </summary>
    internal static (int End, int Next) SentenceEnd(string text, int start)
    {
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c) && i > 0 && text[i - 1] is '.' or '!' or '?' or '。' or '！' or '？')
            {
                var j = i + 1;
                while (j < text.Length && char.IsWhiteSpace(text[j]))
                {
                    j++;
                }

                return (i, j);
            }

            if (c == '\n' || (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n'))
            {
                var j = c == '\r' ? i + 1 : i;
                while (j < text.Length && text[j] == '\n')
                {
                    j++;
                }

                return (i, j);
            }
        }

        return (text.Length, text.Length + 1);
    }

    private static readonly char[] ClaimBullets = ['-', '*', '•', ' '];
}
