using System.Text.RegularExpressions;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Suites;
using Flywheel.Evals.Text;

namespace Flywheel.Evals.Evaluators;

/// <summary>Lexical groundedness: every sentence of the answer must be supported by one context chunk.</summary>
/// <remarks>
/// A claim (sentence) is supported when at least <c>min_support</c> of its content words, and every one of its numbers,
/// occur in a single chunk. Numbers must match exactly because an invented amount is the costliest hallucination.
/// </remarks>
public sealed partial class GroundednessEvaluator : IEvaluator
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
        var chunks = context.Row.Context!.Select(c => (c.Id, Words: ContentWords.Of(c.Text))).ToList();
        var claims = SplitClaims(context.Response.Output);
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
                unsupported.Add($"\"{GroundTruthMatchEvaluator.Trim(claim.Text, 100)}\" ({verdict.Why})");
                unsupportedDetails.Add(new Dictionary<string, object?> { ["claim"] = claim.Text, ["why"] = verdict.Why });
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

    private (bool Supported, string Why) Support(ContentWords claim, IReadOnlyList<(string Id, ContentWords Words)> chunks)
    {
        var bestCoverage = -1.0;
        var bestChunk = chunks[0].Id;
        IReadOnlyList<string> bestMissingNumbers = [];
        foreach (var (id, words) in chunks)
        {
            var missingNumbers = claim.Numbers.Where(n => !words.Numbers.Contains(n)).ToList();
            var coverage = claim.Words.Count == 0 ? 1.0 : (double)claim.Words.Count(words.Words.Contains) / claim.Words.Count;
            if (missingNumbers.Count == 0 && coverage >= _minSupport)
            {
                return (true, $"supported by {id}");
            }

            // Rank chunks by numbers first: a chunk with the right figures is the one the claim was meant to cite.
            var rank = coverage - missingNumbers.Count;
            if (rank > bestCoverage)
            {
                bestCoverage = rank;
                bestChunk = id;
                bestMissingNumbers = missingNumbers;
            }
        }

        if (claim.Numbers.Any(n => !chunks.Any(c => c.Words.Numbers.Contains(n))))
        {
            var invented = claim.Numbers.Where(n => !chunks.Any(c => c.Words.Numbers.Contains(n)));
            return (false, $"{string.Join(", ", invented.Select(claim.Written))} appears in no context chunk");
        }

        if (bestMissingNumbers.Count > 0)
        {
            return (false, $"{string.Join(", ", bestMissingNumbers.Select(claim.Written))} not in the chunk that supports its words ({bestChunk})");
        }

        var best = chunks.Max(c => claim.Words.Count == 0 ? 1.0 : (double)claim.Words.Count(c.Words.Words.Contains) / claim.Words.Count);
        return (false, $"best chunk covers {Math.Round(best * 100)}% of its content words, needs {Math.Round(_minSupport * 100)}%");
    }

    private static List<(string Text, ContentWords Words)> SplitClaims(string? output)
    {
        var claims = new List<(string, ContentWords)>();
        if (string.IsNullOrWhiteSpace(output))
        {
            return claims;
        }

        foreach (var sentence in SentenceBoundary().Split(output))
        {
            var text = sentence.Trim().TrimStart('-', '*', '•', ' ').Trim();
            var words = ContentWords.Of(text);
            if (!words.IsEmpty)
            {
                claims.Add((text, words));
            }
        }

        return claims;
    }

    // A sentence ends at . ! ? (or their Spanish/CJK forms) followed by space, or at a line break.
    [GeneratedRegex(@"(?<=[.!?。！？])\s+|\r?\n+", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceBoundary();
}
