using System.Globalization;
using System.Text;
using Flywheel.Evals.Text;

namespace Flywheel.Evals.Tests.Text;

/// <summary>The span tokenizer must give exactly what the string tokenizer it replaced gave (kept here as the reference).</summary>
public sealed class TokenSpansTests
{
    public static TheoryData<string> TrickyTexts =>
    [
        string.Empty,
        " ",
        "\t\n\r ",
        "a",
        "A An THE",
        "The payoff is $182,410.22!",
        "182.410,22 € and 1 234 567,89 and 12'345",
        "  An   ANSWER\t\n here  ",
        "don't re-enter e_mail",
        "x + y = z^2 | 50%",
        "“Quoted” — «text»…",
        "CAFÉ Déjà Vu",
        "Cafe\u0301 vs Caf\u00E9",
        "東京タワー 「営業中」。東京タワー、営業中",
        "Great 🙂 job 👍🏽!",
        "\U0001D400\U0001D401 mathematical bold",
        "DESERET \U00010400\U00010401 capitals",
        "nbsp\u00A0thin\u202Fideographic\u3000space\u2028line",
        "ΣΊΣΥΦΟΣ ὈΔΥΣΣΕΎΣ",
        "İstanbul ıİ ǅ ß ẞ",
        "tab\tseparated\u000Bvertical\u001Cinfo",
        "control\u0000char\u0007bell",
        "\u0085next line",
        "the the the a a an",
        "trailing article the",
        "numbers: -5, +6, 7.0, ½, ², ٣٤٥",
        "árbol ÁRBOL a\u0308rbol",
        "email@example.com https://x.y/z?q=1&r=2",
    ];

    [Theory]
    [MemberData(nameof(TrickyTexts))]
    public void Tokens_equal_the_string_tokenizer_on_tricky_text(string text)
    {
        Assert.Equal(ReferenceTokens(text), AnswerNormalizer.Tokens(text));
        Assert.Equal(string.Join(' ', ReferenceTokens(text)), AnswerNormalizer.Normalize(text));
    }

    [Fact]
    public void Text_that_normalization_refuses_tokenizes_as_if_each_refused_character_were_U_FFFD()
    {
        // string.Normalize throws on unpaired surrogates and U+FFFE; a row or a model's answer holding one is scored.
        Assert.Equal(ReferenceTokens("bad \uFFFD text é \uFFFDx"), AnswerNormalizer.Tokens("bad \uD800 text é \uFFFEx"));
    }

    [Fact]
    public void A_lone_surrogate_alone_has_no_tokens()
    {
        // Any text that is not ASCII is composed first, so invalid UTF-16 never reaches the rune decoder.
        using var tokens = TokenSpans.Of("\uDC00");
        Assert.Equal(0, tokens.Count);
    }

    [Fact]
    public void Random_texts_tokenize_and_score_as_the_string_tokenizer_does()
    {
        var random = new Random(20261122);
        string[] pieces =
        [
            "a", "an", "the", "The", "A", "cat", "CAT", "Cat", "sat", "on", "mat", "182,410.22", "1 234", "12'5", "€", "$", "£", "%",
            " ", "  ", "\t", "\n", "\u00A0", "\u202F", ",", ".", "!", "?", "-", "_", "'", "\u2019", "é", "e\u0301", "ñ", "Ñ", "ß",
            "東京", "。", "、", "🙂", "👍🏽", "\U0001D400", "Σ", "ς", "İ", "0", "7", "٣", "½", "x", "yz", "(", ")", "[", "]", "—",
        ];
        for (var n = 0; n < 3000; n++)
        {
            var prediction = RandomText(random, pieces);
            var reference = RandomText(random, pieces);
            var expectedTokens = ReferenceTokens(prediction);
            Assert.Equal(expectedTokens, AnswerNormalizer.Tokens(prediction));
            using var p = TokenSpans.Of(prediction);
            using var r = TokenSpans.Of(reference);
            Assert.Equal(ReferenceF1(expectedTokens, ReferenceTokens(reference)), TokenSpans.F1(p, r));
        }
    }

    [Fact]
    public void Long_texts_count_common_tokens_the_same_on_the_dictionary_path()
    {
        // 300 x 300 tokens is past the scan's limit: the dictionary path must agree with the reference too.
        var words = Enumerable.Range(0, 300).Select(i => "w" + (i % 37).ToString(CultureInfo.InvariantCulture)).ToList();
        var prediction = string.Join(' ', words);
        var reference = string.Join(' ', words.Select((w, i) => i % 3 == 0 ? "z" + w : w).Reverse());
        using var p = TokenSpans.Of(prediction);
        using var r = TokenSpans.Of(reference);
        Assert.Equal(300, p.Count);
        Assert.Equal(ReferenceF1(ReferenceTokens(prediction), ReferenceTokens(reference)), TokenSpans.F1(p, r));
    }

    [Fact]
    public void A_reference_longer_than_the_stack_buffer_counts_each_token_once()
    {
        var prediction = "cat cat cat dog";
        var reference = string.Join(' ', Enumerable.Repeat("cat", 200).Concat(Enumerable.Repeat("cow", 100)));
        using var p = TokenSpans.Of(prediction);
        using var r = TokenSpans.Of(reference);
        Assert.Equal(ReferenceF1(ReferenceTokens(prediction), ReferenceTokens(reference)), TokenSpans.F1(p, r));
    }

    [Fact]
    public void Token_f1_of_empty_texts_follows_squad()
    {
        using var empty = TokenSpans.Of(string.Empty);
        using var articles = TokenSpans.Of("the a an");
        using var word = TokenSpans.Of("word");
        Assert.Equal(1.0, TokenSpans.F1(empty, articles));
        Assert.Equal(0.0, TokenSpans.F1(empty, word));
        Assert.Equal(0.0, TokenSpans.F1(word, empty));
    }

    private static string RandomText(Random random, string[] pieces)
    {
        var builder = new StringBuilder();
        var count = random.Next(0, 30);
        for (var i = 0; i < count; i++)
        {
            builder.Append(pieces[random.Next(pieces.Length)]);
            if (random.Next(3) == 0)
            {
                builder.Append(' ');
            }
        }

        return builder.ToString();
    }

    // The tokenizer as it was before the span version (b02b3b6), verbatim in behaviour.
    private static List<string> ReferenceTokens(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var builder = new StringBuilder(text.Length);
        var composed = Ascii.IsValid(text) ? text : text.Normalize(NormalizationForm.FormC);
        foreach (var rune in composed.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or
                UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation or
                UnicodeCategory.OtherPunctuation or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or
                UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol)
            {
                continue;
            }

            if (Rune.IsWhiteSpace(rune))
            {
                builder.Append(' ');
                continue;
            }

            var lower = Rune.ToLowerInvariant(rune);
            builder.Append(lower.IsBmp ? ((char)lower.Value).ToString() : char.ConvertFromUtf32(lower.Value));
        }

        return builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(t => t is not ("a" or "an" or "the")).ToList();
    }

    private static double ReferenceF1(List<string> prediction, List<string> reference)
    {
        if (prediction.Count == 0 || reference.Count == 0)
        {
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
