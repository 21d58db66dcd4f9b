using System.Globalization;
using System.Text;

namespace Flywheel.Evals.Text;

/// <summary>The content words and numbers of a text: lower case, accents folded, stop words dropped, plurals trimmed.</summary>
public sealed record ContentWords(IReadOnlySet<string> Words, IReadOnlySet<string> Numbers, IReadOnlyDictionary<string, string> NumberTexts)
{
    /// <summary>No words, no numbers.</summary>
    public static ContentWords Empty { get; } = new(new HashSet<string>(), new HashSet<string>(), new Dictionary<string, string>());

    /// <summary>A number as the text wrote it (for reasons), given its digits-only form.</summary>
    public string Written(string number) => NumberTexts.TryGetValue(number, out var text) ? text : number;

    /// <summary>True when the text says nothing checkable.</summary>
    public bool IsEmpty => Words.Count == 0 && Numbers.Count == 0;

    /// <summary>Reads the content words and numbers of a text.</summary>
    public static ContentWords Of(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Empty;
        }

        var words = new HashSet<string>(StringComparer.Ordinal);
        var numbers = new HashSet<string>(StringComparer.Ordinal);
        var written = new Dictionary<string, string>(StringComparer.Ordinal);
        var folded = Fold(text);
        var i = 0;
        while (i < folded.Length)
        {
            var c = folded[i];
            if (char.IsDigit(c))
            {
                // A number keeps its digits only, so "182,410.22" and "182.410,22" are the same claim.
                var digits = new StringBuilder();
                var start = i;
                var group = 0;
                var spaceGroups = 0;
                var decimalStart = -1;
                var spaceGrouped = true;
                while (i < folded.Length)
                {
                    if (char.IsDigit(folded[i]))
                    {
                        digits.Append(folded[i]);
                        group++;
                    }
                    else if (IsNumberSeparator(folded[i]) && i + 1 < folded.Length && char.IsDigit(folded[i + 1]))
                    {
                        spaceGrouped = false;
                        decimalStart = folded[i] is ',' or '.' ? digits.Length : -1;
                        group = 0;
                    }
                    else if (folded[i] == ' ' && spaceGrouped && (spaceGroups == 0 ? group is >= 1 and <= 3 : group == 3) && IsThreeDigitGroup(folded, i + 1))
                    {
                        // "1 234 567": a plain space groups thousands only between groups of exactly three digits.
                        spaceGroups++;
                        group = 0;
                    }
                    else
                    {
                        break;
                    }

                    i++;
                }

                var number = TrimLeadingZeros(TrimZeroDecimals(digits, decimalStart));
                numbers.Add(number);
                written.TryAdd(number, Written(folded, start, i));
                continue;
            }

            if (char.IsLetter(c))
            {
                var start = i;
                while (i < folded.Length && (char.IsLetterOrDigit(folded[i]) || (folded[i] == '\'' && i + 1 < folded.Length && char.IsLetter(folded[i + 1]))))
                {
                    i++;
                }

                var word = folded[start..i];
                if (word.Length > 1 && !StopWords.Contains(word))
                {
                    // Checked again once stemmed: "he's" is the stop word "he", not a claim.
                    var stem = Stem(word);
                    if (stem.Length > 1 && !StopWords.Contains(stem))
                    {
                        words.Add(stem);
                    }
                }

                continue;
            }

            i++;
        }

        return new ContentWords(words, numbers, written);
    }

    private static bool IsNumberSeparator(char c) => c is ',' or '.' or '\u00A0' or '\u202F';

    private static bool IsThreeDigitGroup(string text, int start) =>
        start + 3 <= text.Length && char.IsDigit(text[start]) && char.IsDigit(text[start + 1]) && char.IsDigit(text[start + 2]) &&
        (start + 3 == text.Length || !char.IsDigit(text[start + 3]));

    // "25.00" and "25.5" are the numbers 25 and 25.5, not 2500 and 2550: a final part of one or two digits is decimals
    // (a thousands group has three), and its trailing zeros say nothing.
    private static string TrimZeroDecimals(StringBuilder digits, int decimalStart)
    {
        if (decimalStart > 0 && digits.Length - decimalStart is 1 or 2)
        {
            while (digits.Length > decimalStart && digits[^1] == '0')
            {
                digits.Length--;
            }
        }

        return digits.ToString();
    }

    // The number as the text writes it, with the currency sign or percent that makes it an amount: "$35", "95.310,40 €", "4%".
    private static string Written(string text, int start, int end)
    {
        if (start > 0 && CharUnicodeInfo.GetUnicodeCategory(text[start - 1]) == UnicodeCategory.CurrencySymbol)
        {
            start--;
        }

        if (end < text.Length && (text[end] == '%' || CharUnicodeInfo.GetUnicodeCategory(text[end]) == UnicodeCategory.CurrencySymbol))
        {
            end++;
        }
        else if (end + 1 < text.Length && text[end] is ' ' or '\u00A0' or '\u202F' && CharUnicodeInfo.GetUnicodeCategory(text[end + 1]) == UnicodeCategory.CurrencySymbol)
        {
            end += 2;
        }

        return text[start..end];
    }

    private static string TrimLeadingZeros(string digits)
    {
        var trimmed = digits.TrimStart('0');
        return trimmed.Length == 0 ? "0" : trimmed;
    }

    private static string Stem(string word)
    {
        if (word.EndsWith("'s", StringComparison.Ordinal))
        {
            // The possessive "bank's" claims the bank.
            word = word[..^2];
        }

        if (word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal))
        {
            return word[..^1];
        }

        return word;
    }

    private static string Fold(string text)
    {
        if (System.Text.Ascii.IsValid(text))
        {
            // ASCII has no accents to strip: lower-casing is all the folding it needs (and the common case).
            return text.Contains('\u2019') ? text.ToLowerInvariant().Replace('\u2019', '\'') : text.ToLowerInvariant();
        }

        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            builder.Append(c is '\u2019' or '\u2018' ? '\'' : char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    // English and Spanish function words (accents folded): they carry no claim of their own.
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because",
        "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing",
        "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here",
        "hers", "him", "his", "how", "i", "i'm", "i'll", "i've", "if", "in", "into", "is", "it", "it's", "its", "itself", "just",
        "let", "let's", "me", "more", "most", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or",
        "other", "our", "ours", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that",
        "that's", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "to",
        "too", "under", "until", "up", "us", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who",
        "whom", "why", "will", "with", "would", "you", "you're", "you'll", "you've", "your", "yours", "yourself", "please",
        "may", "might", "must", "shall", "yes", "ok", "okay", "sure", "thanks", "thank", "hi", "hello", "dear",
        "al", "algo", "ante", "antes", "como", "con", "contra", "cual", "cuando", "de", "del", "desde", "donde", "durante",
        "el", "ella", "ellas", "ellos", "en", "entre", "era", "es", "esa", "ese", "eso", "esta", "estan", "estas", "este",
        "esto", "estos", "fue", "ha", "han", "hasta", "hay", "la", "las", "le", "les", "lo", "los", "mas", "me", "mi", "mis",
        "muy", "nada", "ni", "no", "nos", "nosotros", "o", "os", "otra", "otro", "para", "pero", "poco", "por", "porque",
        "que", "quien", "se", "sea", "ser", "si", "sin", "sobre", "son", "su", "sus", "tambien", "te", "tiene", "tu", "tus",
        "un", "una", "uno", "unos", "unas", "usted", "ustedes", "vosotros", "ya", "yo", "gracias", "hola", "puede", "puedo",
    };
}
