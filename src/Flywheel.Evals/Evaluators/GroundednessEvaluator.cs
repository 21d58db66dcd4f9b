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

        // Chunks are read first, as ever, so a chunk that is not valid Unicode fails the row before its claims are read.
        // Only such chunks can fail; the others are scanned below without building their word sets.
        var chunks = new Chunks(rowContext);
        for (var c = 0; c < rowContext.Count; c++)
        {
            if (ContentWords.NeedsDecomposition(rowContext[c].Text))
            {
                chunks.Words(c);
            }
        }

        var output = context.Response.Output;
        var claims = SplitClaims(output);
        if (claims.Count == 0)
        {
            return ValueTask.FromResult(Score.Decided(Name, 1, true, "no factual claims to check (empty or content-free answer)"));
        }

        var found = Found(claims, rowContext);
        var unsupported = new List<string>();
        var unsupportedDetails = new List<object>();
        for (var k = 0; k < claims.Count; k++)
        {
            var claim = claims[k];
            if (IsSupported(claim.Words, found, k))
            {
                continue;
            }

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

    // For every claim and chunk: how many of the claim's words and how many of its numbers the chunk has. Each chunk is
    // tokenized once, its words looked up among the claims' words; no chunk word becomes a string.
    private static (int[] Words, int[] Numbers, int Chunks) Found(List<(int Start, int Length, ContentWords Words)> claims, IReadOnlyList<ContextChunk> chunks)
    {
        var wordIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var numberIds = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var claim in claims)
        {
            foreach (var word in claim.Words.Words)
            {
                wordIds.TryAdd(word, wordIds.Count);
            }

            foreach (var number in claim.Words.Numbers)
            {
                numberIds.TryAdd(number, numberIds.Count);
            }
        }

        var words = new int[claims.Count * chunks.Count];
        var numbers = new int[claims.Count * chunks.Count];
        var seen = new bool[wordIds.Count + numberIds.Count];
        for (var c = 0; c < chunks.Count; c++)
        {
            Array.Clear(seen);
            var sink = new SeenSink(wordIds.GetAlternateLookup<ReadOnlySpan<char>>(), numberIds.GetAlternateLookup<ReadOnlySpan<char>>(), seen, wordIds.Count);
            ContentWords.Scan(chunks[c].Text, ref sink);
            for (var k = 0; k < claims.Count; k++)
            {
                var claim = claims[k].Words;
                foreach (var word in claim.Words)
                {
                    words[(k * chunks.Count) + c] += seen[wordIds[word]] ? 1 : 0;
                }

                foreach (var number in claim.Numbers)
                {
                    numbers[(k * chunks.Count) + c] += seen[wordIds.Count + numberIds[number]] ? 1 : 0;
                }
            }
        }

        return (words, numbers, chunks.Count);
    }

    // What Support below decides first: some chunk has every number of the claim and enough of its words.
    private bool IsSupported(ContentWords claim, (int[] Words, int[] Numbers, int Chunks) found, int k)
    {
        for (var c = 0; c < found.Chunks; c++)
        {
            var coverage = claim.Words.Count == 0 ? 1.0 : (double)found.Words[(k * found.Chunks) + c] / claim.Words.Count;
            if (found.Numbers[(k * found.Chunks) + c] == claim.Numbers.Count && coverage >= _minSupport)
            {
                return true;
            }
        }

        return false;
    }

    private (bool Supported, string? Why) Support(ContentWords claim, Chunks chunks)
    {
        var bestCoverage = -1.0;
        var bestChunk = -1;
        for (var c = 0; c < chunks.Count; c++)
        {
            var words = chunks.Words(c);
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

        var all = Enumerable.Range(0, chunks.Count).Select(chunks.Words).ToList();
        if (claim.Numbers.Any(n => !all.Any(c => c.Numbers.Contains(n))))
        {
            var invented = claim.Numbers.Where(n => !all.Any(c => c.Numbers.Contains(n)));
            return (false, $"{string.Join(", ", invented.Select(claim.Written))} appears in no context chunk");
        }

        // No chunk ranks above -1 when each misses a number and covers no word: then no chunk's numbers are blamed.
        var bestMissingNumbers = bestChunk < 0 ? [] : claim.Numbers.Where(n => !all[bestChunk].Numbers.Contains(n)).ToList();
        if (bestMissingNumbers.Count > 0)
        {
            return (false, $"{string.Join(", ", bestMissingNumbers.Select(claim.Written))} not in the chunk that supports its words ({chunks.Id(bestChunk)})");
        }

        var best = all.Max(c => Coverage(claim, c));
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

    // Marks which of the claims' words and numbers a chunk has.
    private ref struct SeenSink(
        Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> words,
        Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> numbers,
        Span<bool> seen,
        int numberOffset) : ContentWords.ITokenSink
    {
        private readonly Span<bool> _seen = seen;

        public readonly void Word(scoped ReadOnlySpan<char> stem)
        {
            if (words.TryGetValue(stem, out var id))
            {
                _seen[id] = true;
            }
        }

        public readonly void Number(scoped ReadOnlySpan<char> digits, scoped ReadOnlySpan<char> written)
        {
            if (numbers.TryGetValue(digits, out var id))
            {
                _seen[numberOffset + id] = true;
            }
        }
    }

    // The content words of each chunk, read when first needed: for chunks that must be checked for invalid text up front,
    // and for every chunk of a row with a claim to explain.
    private sealed class Chunks(IReadOnlyList<ContextChunk> chunks)
    {
        private readonly ContentWords?[] _words = new ContentWords?[chunks.Count];

        public int Count => chunks.Count;

        public string Id(int c) => chunks[c].Id;

        public ContentWords Words(int c) => _words[c] ??= ContentWords.Of(chunks[c].Text);
    }
}
