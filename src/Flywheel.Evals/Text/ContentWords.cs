using System.Buffers;
using System.Collections.Frozen;
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
    public static ContentWords Of(string? text) => text is null ? Empty : Of(text.AsSpan());

    /// <summary>Reads the content words and numbers of a piece of text (a claim within an answer, without copying it out).</summary>
    /// <remarks>
    /// Strings are made only for words and numbers not seen before in the text: the groundedness evaluator reads every
    /// chunk and every sentence of every row, so stop words, repeats and the folded text itself stay in a pooled buffer.
    /// </remarks>
    internal static ContentWords Of(ReadOnlySpan<char> text)
    {
        if (text.IsWhiteSpace())
        {
            return Empty;
        }

        var sets = new SetSink();
        Scan(text, ref sets);
        return sets.Words is null && sets.Numbers is null
            ? Empty
            : new ContentWords(sets.Words ?? EmptySet, sets.Numbers ?? EmptySet, sets.Written ?? EmptyTexts);
    }

    /// <summary>True when folding <paramref name="text"/> needs full Unicode decomposition (which rejects invalid UTF-16).</summary>
    internal static bool NeedsDecomposition(ReadOnlySpan<char> text)
    {
        if (Ascii.IsValid(text))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (FoldTable.Of(c) == FoldTable.Slow)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Hands each content word (stemmed, stop words dropped) and each number (digits, and as written) of a text to a sink, in order.</summary>
    /// <remarks>The one tokenizer behind <see cref="Of(string?)"/> and the groundedness evaluator's allocation-free chunk scan.</remarks>
    internal static void Scan<TSink>(ReadOnlySpan<char> text, ref TSink sink)
        where TSink : ITokenSink, allows ref struct
    {
        if (text.IsWhiteSpace())
        {
            return;
        }

        char[]? rented = null;
        try
        {
            var folded = Fold(text, ref rented);
            Span<char> digitBuffer = stackalloc char[64];
            var i = 0;
            while (i < folded.Length)
            {
                var c = folded[i];
                if (char.IsDigit(c))
                {
                    // A number keeps its digits only, so "182,410.22" and "182.410,22" are the same claim.
                    var start = i;
                    var digitCount = 0;
                    var group = 0;
                    var spaceGroups = 0;
                    var decimalStart = -1;
                    var spaceGrouped = true;
                    while (i < folded.Length)
                    {
                        if (char.IsDigit(folded[i]))
                        {
                            digitCount++;
                            group++;
                        }
                        else if (IsNumberSeparator(folded[i]) && i + 1 < folded.Length && char.IsDigit(folded[i + 1]))
                        {
                            spaceGrouped = false;
                            decimalStart = folded[i] is ',' or '.' ? digitCount : -1;
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

                    sink.Number(Digits(folded[start..i], digitCount, decimalStart, digitBuffer), Written(folded, start, i));
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
                    if (word.Length > 1 && !StopWordLookup.Contains(word))
                    {
                        // Checked again once stemmed: "he's" is the stop word "he", not a claim.
                        var stem = Stem(word);
                        if (stem.Length > 1 && !StopWordLookup.Contains(stem))
                        {
                            sink.Word(stem);
                        }
                    }

                    continue;
                }

                i++;
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Receives the words and numbers <see cref="Scan"/> finds.</summary>
    internal interface ITokenSink
    {
        /// <summary>A content word, stemmed.</summary>
        void Word(scoped ReadOnlySpan<char> stem);

        /// <summary>A number: its digits (the claim) and the text that wrote it.</summary>
        void Number(scoped ReadOnlySpan<char> digits, scoped ReadOnlySpan<char> written);
    }

    // Collects the sets of a ContentWords, making strings only for words and numbers not seen before.
    private struct SetSink : ITokenSink
    {
        public HashSet<string>? Words;
        public HashSet<string>? Numbers;
        public Dictionary<string, string>? Written;

        public void Word(scoped ReadOnlySpan<char> stem)
        {
            Words ??= new HashSet<string>(StringComparer.Ordinal);
            var lookup = Words.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.Contains(stem))
            {
                lookup.Add(stem);
            }
        }

        public void Number(scoped ReadOnlySpan<char> digits, scoped ReadOnlySpan<char> written)
        {
            Numbers ??= new HashSet<string>(StringComparer.Ordinal);
            Written ??= new Dictionary<string, string>(StringComparer.Ordinal);
            if (!Numbers.GetAlternateLookup<ReadOnlySpan<char>>().Contains(digits))
            {
                var key = digits.ToString();
                Numbers.Add(key);
                Written.Add(key, written.ToString());
            }
        }
    }

    private static bool IsNumberSeparator(char c) => c is ',' or '.' or '\u00A0' or '\u202F';

    private static bool IsThreeDigitGroup(ReadOnlySpan<char> text, int start) =>
        start + 3 <= text.Length && char.IsDigit(text[start]) && char.IsDigit(text[start + 1]) && char.IsDigit(text[start + 2]) &&
        (start + 3 == text.Length || !char.IsDigit(text[start + 3]));

    // The digits of a number, without leading zeros. "25.00" and "25.5" are the numbers 25 and 25.5, not 2500 and 2550:
    // a final part of one or two digits is decimals (a thousands group has three), and its trailing zeros say nothing.
    private static ReadOnlySpan<char> Digits(ReadOnlySpan<char> number, int digitCount, int decimalStart, Span<char> buffer)
    {
        var digits = digitCount <= buffer.Length ? buffer[..digitCount] : new char[digitCount];
        var n = 0;
        foreach (var c in number)
        {
            if (char.IsDigit(c))
            {
                digits[n++] = c;
            }
        }

        if (decimalStart > 0 && n - decimalStart is 1 or 2)
        {
            while (n > decimalStart && digits[n - 1] == '0')
            {
                n--;
            }
        }

        var trimmed = digits[..n].TrimStart('0');
        return trimmed.IsEmpty ? "0" : trimmed;
    }

    // The number as the text writes it, with the currency sign or percent that makes it an amount: "$35", "95.310,40 €", "4%".
    private static ReadOnlySpan<char> Written(ReadOnlySpan<char> text, int start, int end)
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

    private static ReadOnlySpan<char> Stem(ReadOnlySpan<char> word)
    {
        if (word.EndsWith("'s", StringComparison.Ordinal))
        {
            // The possessive "bank's" claims the bank.
            word = word[..^2];
        }

        if (word.Length > 3 && word[^1] == 's' && !word.EndsWith("ss", StringComparison.Ordinal))
        {
            return word[..^1];
        }

        return word;
    }

    // Lower case, accents stripped (decomposed, combining marks dropped), typographic apostrophes made plain.
    private static ReadOnlySpan<char> Fold(ReadOnlySpan<char> text, ref char[]? rented)
    {
        var buffer = rented = ArrayPool<char>.Shared.Rent(text.Length);
        if (Ascii.IsValid(text))
        {
            // ASCII has no accents to strip: lower-casing is all the folding it needs (and the common case).
            Ascii.ToLower(text, buffer, out var written);
            return buffer.AsSpan(0, written);
        }

        var n = 0;
        foreach (var c in text)
        {
            var folded = FoldTable.Of(c);
            if (folded == FoldTable.Slow)
            {
                return FoldDecomposed(text, ref rented);
            }

            if (folded != FoldTable.Drop)
            {
                buffer[n++] = folded;
            }
        }

        return buffer.AsSpan(0, n);
    }

    private static ReadOnlySpan<char> FoldDecomposed(ReadOnlySpan<char> text, ref char[]? rented)
    {
        var decomposed = UnicodeNormalization.Normalize(text.ToString(), NormalizationForm.FormD);
        if (rented!.Length < decomposed.Length)
        {
            ArrayPool<char>.Shared.Return(rented);
            rented = ArrayPool<char>.Shared.Rent(decomposed.Length);
        }

        var n = 0;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            rented[n++] = FoldChar(c);
        }

        return rented.AsSpan(0, n);
    }

    private static char FoldChar(char c) => c is '\u2019' or '\u2018' ? '\'' : char.ToLowerInvariant(c);

    private static readonly IReadOnlySet<string> EmptySet = FrozenSet<string>.Empty;

    private static readonly IReadOnlyDictionary<string, string> EmptyTexts = FrozenDictionary<string, string>.Empty;

    /// <summary>
    /// What canonical decomposition, dropping combining marks and lower-casing make of each character of the Latin, combining
    /// diacritics, general punctuation and currency blocks, worked out once by the same calls the slow path makes. Those
    /// blocks hold no character that canonical reordering could move past a kept one, so folding them one at a time equals
    /// folding the decomposed text; any other character sends the text down the slow path.
    /// </summary>
    private static class FoldTable
    {
        public const char Drop = '\uFFFF';
        public const char Slow = '\uFFFE';

        private static readonly char[] Latin = Build(0x0000, 0x0370);
        private static readonly char[] Punctuation = Build(0x2000, 0x20D0);

        public static char Of(char c) => c < 0x0370 ? Latin[c] : c is >= '\u2000' and < '\u20D0' ? Punctuation[c - 0x2000] : Slow;

        private static char[] Build(int from, int to)
        {
            var table = new char[to - from];
            for (var c = from; c < to; c++)
            {
                var decomposed = ((char)c).ToString().Normalize(NormalizationForm.FormD);
                var kept = decomposed.Where(d => CharUnicodeInfo.GetUnicodeCategory(d) != UnicodeCategory.NonSpacingMark).Select(FoldChar).ToArray();
                table[c - from] = kept.Length switch
                {
                    0 => Drop,
                    1 when kept[0] is not (Drop or Slow) => kept[0],
                    _ => Slow,
                };
            }

            return table;
        }
    }

    // English and Spanish function words (accents folded): they carry no claim of their own.
    internal static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
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

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> StopWordLookup = StopWords.GetAlternateLookup<ReadOnlySpan<char>>();
}
