using System.Text;

namespace Flywheel.Evals.Text;

/// <summary>Unicode normalization that never throws on what a row or a model may hold.</summary>
internal static class UnicodeNormalization
{
    /// <summary>
    /// <see cref="string.Normalize(NormalizationForm)"/>, except that the characters it refuses (U+FFFE and unpaired
    /// surrogates, both valid JSON escapes) are first replaced by U+FFFD, so scoring such a text decides instead of failing.
    /// </summary>
    public static string Normalize(string text, NormalizationForm form)
    {
        try
        {
            return text.Normalize(form);
        }
        catch (ArgumentException)
        {
            // Rare enough that the scan happens only after the refusal, never on the scoring path of valid text.
            return Repaired(text).Normalize(form);
        }
    }

    private static string Repaired(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]) || chars[i] == '\uFFFE')
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }
}
