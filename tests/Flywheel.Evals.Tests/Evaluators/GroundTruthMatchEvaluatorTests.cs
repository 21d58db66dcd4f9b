using static Flywheel.Evals.Tests.Evaluators.EvaluatorCases;

namespace Flywheel.Evals.Tests.Evaluators;

public sealed class GroundTruthMatchEvaluatorTests
{
    [Theory]
    [InlineData("The payoff is $182,410.22.", "payoff is 182,410.22")]
    [InlineData("  An   ANSWER!  ", "answer")]
    [InlineData("Café déjà vu", "café déjà vu")]
    public async Task Exact_matches_after_squad_normalization(string output, string answer)
    {
        var score = await Score(Match("exact"), Answers(answer), Output(output));

        Assert.Equal((true, 1.0), (score.Passed, score.Value));
    }

    [Fact]
    public async Task Exact_fails_with_a_reason_that_quotes_output_and_answer()
    {
        var score = await Score(Match("exact"), Answers("Nov 30"), Output("Dec 1"));

        Assert.False(score.Passed);
        Assert.Contains("\"Dec 1\"", score.Reason, StringComparison.Ordinal);
        Assert.Contains("\"Nov 30\"", score.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_f1_takes_the_best_acceptable_answer()
    {
        var row = Answers("completely different words here", "your balance is 1,250 dollars");

        var score = await Score(Match("token-f1", threshold: 0.6), row, Output("Your balance is 1,250 dollars today"));

        Assert.True(score.Passed);
        Assert.Equal(10.0 / 11, score.Value!.Value, 6); // P = 5/6, R = 1

        Assert.Contains("your balance is 1,250 dollars", score.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_f1_below_threshold_fails_and_says_both_numbers()
    {
        var score = await Score(Match("token-f1", threshold: 0.8), Answers("the quote is valid until Nov 30"), Output("valid until Dec 1"));

        Assert.False(score.Passed);
        Assert.Contains("< 0.80", score.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_output_scores_zero_and_says_so()
    {
        var score = await Score(Match("token-f1", threshold: 0.5), Answers("anything"), Output(string.Empty));

        Assert.Equal((false, 0.0), (score.Passed, score.Value));
        Assert.StartsWith("empty output", score.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unicode_tokens_survive_normalization()
    {
        var score = await Score(Match("token-f1", threshold: 0.99), Answers("préstamo 東京 🙂 liquidación"), Output("Préstamo, 東京 🙂 liquidación."));

        Assert.True(score.Passed, score.Reason);
    }

    [Theory]
    [InlineData("Your payoff is $182,410.22 valid until Nov 30.", "The amount: 182410.22 by 30 Nov", null, true)]
    [InlineData("Saldo: 182.410,22 €", "Tiene 182.410,22 euros", "es-ES", true)]
    [InlineData("Saldo: 1.234,5 €", "Tiene 1234.5 euros", "de-DE", true)]
    [InlineData("Solde 1\u202F234\u202F567", "balance is 1234567", "fr-FR", true)]
    [InlineData("Your payoff is $182,410.22", "Your payoff is $182,445.22", null, false)]
    public async Task Numeric_reads_separators_the_locale_way(string answer, string output, string? locale, bool passes)
    {
        var row = Answers(answer) with { Tags = locale is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["locale"] = locale } };

        var score = await Score(Match("numeric"), row, Output(output));

        Assert.True(score.Passed == passes, score.Reason);
    }

    [Fact]
    public async Task Numeric_tolerance_is_relative()
    {
        var within = await Score(Match("numeric", tolerance: 0.01), Answers("about 100"), Output("roughly 100.9"));
        var outside = await Score(Match("numeric", tolerance: 0.01), Answers("about 100"), Output("roughly 102"));

        Assert.True(within.Passed);
        Assert.False(outside.Passed);
        Assert.Contains("missing 100", outside.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Numeric_does_not_apply_to_answers_without_numbers() =>
        Assert.False(Match("numeric").AppliesTo(Answers("I'm transferring you to an agent.")));

    [Theory]
    [InlineData("{\"a\":1,\"b\":[1,2,{\"c\":\"x\"}]}", "{\"b\":[1,2,{\"c\":\"x\"}],\"a\":1.0}", true)]
    [InlineData("{\"a\":1}", "```json\n{\"a\": 1}\n```", true)]
    [InlineData("{\"a\":1}", "{\"a\":1,\"extra\":true}", false)]
    [InlineData("[1,2]", "[2,1]", false)]
    public async Task Json_compares_structure_ignoring_key_order(string answer, string output, bool passes)
    {
        var score = await Score(Match("json"), Answers(answer), Output(output));

        Assert.True(score.Passed == passes, score.Reason);
    }

    [Fact]
    public async Task Json_fails_output_that_is_not_json_with_a_reason()
    {
        var score = await Score(Match("json"), Answers("{\"a\":1}"), Output("sure! here it is: a=1"));

        Assert.False(score.Passed);
        Assert.StartsWith("output is not JSON", score.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_check_row_flags_an_answer_that_is_not_json() =>
        Assert.Contains("not valid JSON", Assert.Single(Match("json").CheckRow(Answers("{oops"))), StringComparison.Ordinal);

    [Fact]
    public async Task Regex_answers_are_patterns()
    {
        var row = Answers(@"^Your payoff amount is \$[\d,]+\.\d{2}");

        Assert.True((await Score(Match("regex"), row, Output("Your payoff amount is $182,410.22, valid until Nov 30."))).Passed);
        Assert.False((await Score(Match("regex"), row, Output("I can't tell you that."))).Passed);
    }

    [Fact]
    public void Regex_check_row_flags_an_invalid_pattern() =>
        Assert.Contains("not a valid regular expression", Assert.Single(Match("regex").CheckRow(Answers("([unclosed"))), StringComparison.Ordinal);
}
