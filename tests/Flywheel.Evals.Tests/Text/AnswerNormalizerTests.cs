using Flywheel.Evals.Text;

namespace Flywheel.Evals.Tests.Text;

public sealed class AnswerNormalizerTests
{
    [Theory]
    [InlineData("The payoff is $182,410.22!", "payoff is 18241022")]
    [InlineData("  An   ANSWER\t\n here  ", "answer here")]
    [InlineData("a an the", "")]
    [InlineData("Theory of another theme", "theory of another theme")]
    [InlineData("don't re-enter e_mail", "dont reenter email")]
    [InlineData("x + y = z^2 | 50%", "x y z2 50")]
    [InlineData("“Quoted” — «text»…", "quoted text")]
    public void Normalize_lowercases_drops_punctuation_symbols_and_articles_and_collapses_spaces(string text, string normalized) =>
        Assert.Equal(normalized, AnswerNormalizer.Normalize(text));

    [Fact]
    public void Accents_are_kept_and_lowercased_not_folded() =>
        Assert.Equal("café déjà vu", AnswerNormalizer.Normalize("CAFÉ Déjà Vu"));

    [Fact]
    public void Decomposed_accents_compose_so_both_spellings_are_equal() =>
        Assert.Equal(AnswerNormalizer.Normalize("Cafe\u0301"), AnswerNormalizer.Normalize("Caf\u00E9"));

    [Fact]
    public void Cjk_text_survives_and_its_punctuation_is_deleted_not_split_on()
    {
        Assert.Equal("東京タワー 営業中", AnswerNormalizer.Normalize("東京タワー 「営業中」。"));
        Assert.Equal("東京タワー営業中", AnswerNormalizer.Normalize("東京タワー、営業中"));
    }

    [Fact]
    public void Emoji_are_symbols_and_are_removed() =>
        Assert.Equal("great job", AnswerNormalizer.Normalize("Great 🙂 job 👍🏽!"));

    [Fact]
    public void Null_and_empty_normalize_to_nothing()
    {
        Assert.Equal(string.Empty, AnswerNormalizer.Normalize(null));
        Assert.Empty(AnswerNormalizer.Tokens(string.Empty));
    }

    [Fact]
    public void Tokens_split_on_whitespace_after_normalization() =>
        Assert.Equal(["cat", "and", "hat"], AnswerNormalizer.Tokens("The cat, and THE hat."));

    [Theory]
    [InlineData("cat sat", "the cat sat on the mat", 2.0 / 3)] // P = 1, R = 2/4
    [InlineData("cat sat on mat", "cat sat on mat", 1.0)]
    [InlineData("dog barked", "cat sat", 0.0)]
    [InlineData("cat cat cat", "cat", 0.5)] // a token counts as often as the reference holds it: P = 1/3, R = 1
    [InlineData("one", "one two three", 0.5)] // P = 1, R = 1/3
    public void Token_f1_is_squad_f1(string prediction, string reference, double f1) =>
        Assert.Equal(f1, AnswerNormalizer.TokenF1(AnswerNormalizer.Tokens(prediction), AnswerNormalizer.Tokens(reference)), 9);

    [Fact]
    public void Token_f1_of_two_empty_answers_is_one_and_of_one_empty_answer_zero()
    {
        Assert.Equal(1.0, AnswerNormalizer.TokenF1([], []));
        Assert.Equal(0.0, AnswerNormalizer.TokenF1([], ["x"]));
        Assert.Equal(0.0, AnswerNormalizer.TokenF1(["x"], []));
    }
}
