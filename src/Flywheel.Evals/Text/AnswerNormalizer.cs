namespace Flywheel.Evals.Text;

/// <summary>SQuAD-style answer normalization: lower case, no punctuation or symbols, no English articles, single spaces.</summary>
public static class AnswerNormalizer
{
    /// <summary>Normalizes a text the SQuAD way, extended to Unicode punctuation and symbols.</summary>
    public static string Normalize(string? text)
    {
        using var tokens = TokenSpans.Of(text);
        return tokens.Join();
    }

    /// <summary>The normalized tokens of a text (what token F1 counts).</summary>
    /// <remarks>
    /// Lower case (invariant), Unicode punctuation and symbols deleted (SQuAD deletes rather than splits, so "182,410.22"
    /// stays one token), text composed (NFC) first, split on white space, and the articles a, an, the dropped.
    /// </remarks>
    public static IReadOnlyList<string> Tokens(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        using var tokens = TokenSpans.Of(text);
        return tokens.ToList();
    }

    /// <summary>SQuAD token F1 between a prediction and one reference.</summary>
    public static double TokenF1(IReadOnlyList<string> prediction, IReadOnlyList<string> reference)
    {
        if (prediction.Count == 0 || reference.Count == 0)
        {
            // SQuAD: both empty is a match, one empty is not.
            return prediction.Count == reference.Count ? 1.0 : 0.0;
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in reference)
        {
            counts[token] = counts.GetValueOrDefault(token) + 1;
        }

        var common = 0;
        foreach (var token in prediction)
        {
            if (counts.TryGetValue(token, out var left) && left > 0)
            {
                counts[token] = left - 1;
                common++;
            }
        }

        if (common == 0)
        {
            return 0.0;
        }

        var precision = (double)common / prediction.Count;
        var recall = (double)common / reference.Count;
        return 2 * precision * recall / (precision + recall);
    }
}
