using System.Globalization;
using System.Text;

namespace Flywheel.Evals.Text;

/// <summary>SQuAD-style answer normalization: lower case, no punctuation or symbols, no English articles, single spaces.</summary>
public static class AnswerNormalizer
{
    /// <summary>Normalizes a text the SQuAD way, extended to Unicode punctuation and symbols.</summary>
    public static string Normalize(string? text) => string.Join(' ', Tokens(text));

    /// <summary>The normalized tokens of a text (what token F1 counts).</summary>
    public static IReadOnlyList<string> Tokens(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var builder = new StringBuilder(text.Length);
        var composed = System.Text.Ascii.IsValid(text) ? text : text.Normalize(NormalizationForm.FormC);
        foreach (var rune in composed.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (IsPunctuationOrSymbol(category))
            {
                // SQuAD deletes punctuation rather than splitting on it, so "182,410.22" stays one token.
                continue;
            }

            if (Rune.IsWhiteSpace(rune))
            {
                builder.Append(' ');
                continue;
            }

            var lower = Rune.ToLowerInvariant(rune);
            if (lower.IsBmp)
            {
                builder.Append((char)lower.Value);
            }
            else
            {
                builder.Append(char.ConvertFromUtf32(lower.Value));
            }
        }

        var tokens = new List<string>();
        foreach (var token in builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (token is "a" or "an" or "the")
            {
                continue;
            }

            tokens.Add(token);
        }

        return tokens;
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

    private static bool IsPunctuationOrSymbol(UnicodeCategory category) => category is
        UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or
        UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation or
        UnicodeCategory.OtherPunctuation or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or
        UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol;
}
