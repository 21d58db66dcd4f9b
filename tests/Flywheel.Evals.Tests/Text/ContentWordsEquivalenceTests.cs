using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Flywheel.Evals.Evaluators;
using Flywheel.Evals.Text;

namespace Flywheel.Evals.Tests.Text;

/// <summary>The span-based reader must find the same words and numbers, in the same order, as the string-based one it replaced.</summary>
public sealed partial class ContentWordsEquivalenceTests
{
    public static TheoryData<string> TrickyTexts =>
    [
        "",
        "   ",
        "The payoff is due and el préstamo está vencido",
        "LIQUIDACIÓN válida; Ação, façade, naïve, Ærøskøbing, Œuvre, ǅemal, Ǖ",
        "Payoff quote for loan ML-70110 as of 16 Nov: principal £189,205.49, accrued interest £739.39, payoff fee £25.00.",
        "Saldo 95.310,45 € hoy; 1 234 567 and 12 34 and 1 2345 and 007 and 0.50 and 25.00% and 3,5",
        "He’s the bank’s agent; it‘s fees' day. bus business days",
        "Nbsp\u00A0100\u00A0000 thin\u202F250\u202F000 ideographic\u3000space",
        "Cafe\u0301 e\u0316\u0301 a\u0308\u0323 precomposed \u00E9\u0316",
        "ΣΊΣΥΦΟΣ ὈΔΥΣΣΕΎΣ 東京タワー 営業中 ٣٤٥ ½ ² ⅷ",
        "\u2000en quad\u2001em quad \u2126 ohm \u212B angstrom \u1E9E sharp",
        "Great 🙂 job 👍🏽! \U0001D400\U0001D401",
        "9,99€ 4% $35 35 $ 35 € US$12 ₹1,00,000",
        "x1y2 a1 1a 12ab34 3rd 21st",
    ];

    [Theory]
    [MemberData(nameof(TrickyTexts))]
    public void Words_and_numbers_equal_the_string_reader_on_tricky_text(string text) => AssertSame(text);

    [Fact]
    public void Random_texts_read_as_the_string_reader_reads_them()
    {
        var random = new Random(20261122);
        string[] pieces =
        [
            "loan", "Loans", "LOAN's", "bank’s", "the", "The", "el", "préstamo", "ESTÁ", "e\u0301", "\u0301", "ñ", "Ñ", "ß", "Æ", "ǅ",
            "0", "1", "25", "100", "234", "007", ",", ".", " ", "  ", "\u00A0", "\u202F", "'", "’", "‘", "$", "£", "€", "%", "-", "/",
            "東京", "。", "🙂", "Σ", "İ", "٣", "½", "\u2000", "\u2126", "x", "ab", "\t", "\n",
        ];
        for (var n = 0; n < 3000; n++)
        {
            var builder = new StringBuilder();
            var count = random.Next(0, 40);
            for (var i = 0; i < count; i++)
            {
                builder.Append(pieces[random.Next(pieces.Length)]);
            }

            AssertSame(builder.ToString());
        }
    }

    [Fact]
    public void Every_character_of_the_folding_tables_reads_as_the_string_reader_reads_it()
    {
        // The fast fold covers U+0000-U+036F and U+2000-U+20CF one character at a time; check each, alone and beside a word.
        for (var c = 0; c < 0x20D0; c++)
        {
            if (c is >= 0x0370 and < 0x2000)
            {
                continue;
            }

            var ch = ((char)c).ToString();
            AssertSame("ab" + ch + "cd 12" + ch + "34 " + ch);
            AssertSame("e" + ch + "\u0301x " + ch + "\u0316a");
        }
    }

    [Fact]
    public void Text_that_normalization_refuses_reads_as_if_each_refused_character_were_U_FFFD()
    {
        // string.Normalize throws on unpaired surrogates and U+FFFE; a context chunk or an answer holding one is read.
        var (words, numbers, _) = Reference.Of("bad \uFFFD text \uFFFDé 12");
        var actual = ContentWords.Of("bad \uD800 text \uFFFEé 12");
        Assert.Equal(words, actual.Words.ToList());
        Assert.Equal(numbers, actual.Numbers.ToList());
    }

    [Fact]
    public void Regex_white_space_is_char_white_space()
    {
        // The sentence splitter stands in for (?<=[.!?。！？])\s+|\r?\n+ and relies on \s meaning char.IsWhiteSpace.
        var pattern = WhiteSpace();
        for (var c = 0; c <= 0xFFFF; c++)
        {
            Assert.True(pattern.IsMatch(((char)c).ToString()) == char.IsWhiteSpace((char)c), $"U+{c:X4}");
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("One. Two! Three? Four")]
    [InlineData("Trailing space. ")]
    [InlineData("No stop\nline\r\nbreaks\n\n\nand\r\rcarriage\r")]
    [InlineData("Uno。Dos！ Tres？\u3000Cuatro")]
    [InlineData("Ends with stop.")]
    [InlineData(".\n\n. .")]
    [InlineData("- bullet one.\n* bullet two\n• bullet three")]
    [InlineData("3.5 is a number. e.g. this? yes!\r\n\r\nDone")]
    public void Sentences_split_where_the_regex_split(string text) => AssertSplitsLikeTheRegex(text);

    [Fact]
    public void Random_answers_split_where_the_regex_split()
    {
        var random = new Random(7);
        string[] pieces = ["a", "b", " ", "  ", ".", "!", "?", "。", "！", "？", "\n", "\r", "\r\n", "\t", "\u00A0", "\u2028", "\u0085", "-", "•"];
        for (var n = 0; n < 5000; n++)
        {
            var builder = new StringBuilder();
            var count = random.Next(0, 25);
            for (var i = 0; i < count; i++)
            {
                builder.Append(pieces[random.Next(pieces.Length)]);
            }

            AssertSplitsLikeTheRegex(builder.ToString());
        }
    }

    private static void AssertSplitsLikeTheRegex(string text)
    {
        var expected = SentenceBoundary().Split(text);
        var actual = new List<string>();
        var start = 0;
        while (start <= text.Length)
        {
            var (end, next) = GroundednessEvaluator.SentenceEnd(text, start);
            actual.Add(text[start..end]);
            start = next;
        }

        Assert.Equal(expected, actual);
    }

    private static void AssertSame(string text)
    {
        var (words, numbers, written) = Reference.Of(text);
        var actual = ContentWords.Of(text);
        // In enumeration order: reasons list a claim's numbers in it.
        Assert.Equal(words, actual.Words.ToList());
        Assert.Equal(numbers, actual.Numbers.ToList());
        Assert.Equal(written.OrderBy(kv => kv.Key, StringComparer.Ordinal), actual.NumberTexts.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Equal(words.Count == 0 && numbers.Count == 0, actual.IsEmpty);
    }

    [GeneratedRegex(@"^\s$", RegexOptions.CultureInvariant)]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"(?<=[.!?。！？])\s+|\r?\n+", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceBoundary();

    // ContentWords.Of as it was before the span version (b02b3b6), returning its sets in insertion order.
    private static class Reference
    {
        // The stop word list is data, not the logic under test: the reference shares the engine's.
        private static readonly HashSet<string> ContentWordsStopWords = ContentWords.StopWords;

        public static (List<string> Words, List<string> Numbers, Dictionary<string, string> Written) Of(string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return ([], [], []);
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
                    if (word.Length > 1 && !ContentWordsStopWords.Contains(word))
                    {
                        // Checked again once stemmed: "he's" is the stop word "he", not a claim.
                        var stem = Stem(word);
                        if (stem.Length > 1 && !ContentWordsStopWords.Contains(stem))
                        {
                            words.Add(stem);
                        }
                    }

                    continue;
                }

                i++;
            }

            return ([.. words], [.. numbers], written);
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
    }
}
