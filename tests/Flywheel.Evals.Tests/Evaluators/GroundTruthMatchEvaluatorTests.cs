using Flywheel.Evals.Evaluators;
using static Flywheel.Evals.Tests.Evaluators.EvaluatorCases;

namespace Flywheel.Evals.Tests.Evaluators;

public sealed class GroundTruthMatchEvaluatorTests
{
    // ---- exact ----

    [Theory]
    [InlineData("The payoff is $182,410.22.", "payoff is 182,410.22")]
    [InlineData("  An   ANSWER!  ", "answer")]
    [InlineData("Café déjà vu", "CAFÉ, déjà vu!")]
    [InlineData("東京タワー。", "東京タワー")]
    [InlineData("Done 👍", "done")]
    public async Task Exact_matches_after_squad_normalization(string output, string answer)
    {
        var score = await Score(Match("exact"), Answers(answer), Output(output));

        Assert.Equal((true, 1.0), (score.Passed, score.Value));
    }

    [Theory]
    [InlineData("exact", "Café ok<FFFE>", "café ok")]
    [InlineData("exact", "Café<D800> ok", "café ok")]
    [InlineData("token-f1", "Café ok<FFFE>", "café ok")]
    [InlineData("token-f1", "Café<DC00> ok", "café ok")]
    [InlineData("exact", "<FFFE>", "<FFFE>")]
    public async Task Text_that_unicode_normalization_refuses_is_scored_not_an_error(string method, string output, string answer)
    {
        // U+FFFE and unpaired surrogates are valid JSON escapes, and string.Normalize throws on both. They are put in
        // here, because theory data and the serializer that builds test responses would both replace a lone surrogate.
        static string Put(string text) => text.Replace("<FFFE>", "\uFFFE", StringComparison.Ordinal)
            .Replace("<D800>", "\uD800", StringComparison.Ordinal).Replace("<DC00>", "\uDC00", StringComparison.Ordinal);

        var score = await Score(Match(method), Answers(Put(answer)), Output("x") with { Output = Put(output) });

        Assert.Null(score.Error);
        Assert.True(score.Passed, score.Reason);
    }

    [Theory]
    [InlineData("Cafe", "Café")] // SQuAD lower-cases but does not fold accents
    [InlineData("another answer", "the answer")] // only whole-word articles are dropped
    [InlineData("payoff is 182,410.23", "payoff is 182,410.22")]
    [InlineData("Nov 30 valid", "valid Nov 30")] // order matters
    public async Task Exact_fails_on_any_difference_normalization_keeps(string output, string answer)
    {
        var score = await Score(Match("exact"), Answers(answer), Output(output));

        Assert.Equal((false, 0.0), (score.Passed, score.Value));
    }

    [Fact]
    public async Task Exact_fails_with_a_reason_that_quotes_output_and_answer()
    {
        var score = await Score(Match("exact"), Answers("Nov 30"), Output("Dec 1"));

        Assert.False(score.Passed);
        Assert.Equal("output \"Dec 1\" matches none of the 1 expected answer(s) after normalization; expected e.g. \"Nov 30\"", score.Reason);
    }

    [Fact]
    public async Task Exact_accepts_any_one_of_several_answers_and_names_it()
    {
        var score = await Score(Match("exact"), Answers("Nov 30", "November 30th", "30/11"), Output("november 30th"));

        Assert.True(score.Passed);
        Assert.Equal("matches expected answer \"November 30th\"", score.Reason);
    }

    [Fact]
    public async Task Exact_fails_an_empty_or_missing_output()
    {
        Assert.False((await Score(Match("exact"), Answers("Nov 30"), Output(string.Empty))).Passed);
        Assert.False((await Score(Match("exact"), Answers("Nov 30"), Output(null))).Passed);
    }

    [Theory]
    [InlineData("👍", "👍", true)]
    [InlineData("👍", "  👍 ", true)]
    [InlineData("👍", "👎", false)]
    [InlineData("👍", "", false)]
    [InlineData("—", "", false)]
    public async Task An_answer_made_only_of_symbols_is_compared_as_written(string answer, string output, bool passes)
    {
        var exact = await Score(Match("exact"), Answers(answer), Output(output));
        var f1 = await Score(Match("token-f1", threshold: 0.5), Answers(answer), Output(output));

        Assert.Equal(passes, exact.Passed);
        Assert.Equal(passes, f1.Passed);
    }

    // ---- token-f1 ----

    [Fact]
    public async Task Token_f1_takes_the_best_acceptable_answer()
    {
        var row = Answers("completely different words here", "your balance is 1,250 dollars");

        var score = await Score(Match("token-f1", threshold: 0.6), row, Output("Your balance is 1,250 dollars today"));

        Assert.True(score.Passed);
        Assert.Equal(10.0 / 11, score.Value!.Value, 6); // P = 5/6, R = 1
        Assert.Equal("token F1 0.91 >= 0.60 against \"your balance is 1,250 dollars\"", score.Reason);
        Assert.Equal("your balance is 1,250 dollars", score.Details!["best_answer"]);
    }

    [Fact]
    public async Task Token_f1_passes_at_exactly_the_threshold()
    {
        // P = 1, R = 1/3: F1 = 0.5 exactly.
        var score = await Score(Match("token-f1", threshold: 0.5), Answers("payoff amount quoted"), Output("The payoff!"));

        Assert.Equal((true, 0.5), (score.Passed, score.Value));
    }

    [Fact]
    public async Task Token_f1_below_threshold_fails_and_says_both_numbers()
    {
        var score = await Score(Match("token-f1", threshold: 0.8), Answers("the quote is valid until Nov 30"), Output("valid until Dec 1"));

        Assert.False(score.Passed);
        Assert.Equal(0.4, score.Value!.Value, 6); // tokens quote is valid until nov 30 vs valid until dec 1: P = 2/4, R = 2/6
        Assert.Contains("token F1 0.40 < 0.80", score.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_f1_of_an_empty_output_is_zero_and_says_so()
    {
        var score = await Score(Match("token-f1", threshold: 0.5), Answers("anything"), Output(string.Empty));

        Assert.Equal((false, 0.0), (score.Passed, score.Value));
        Assert.Equal("empty output; expected \"anything\"", score.Reason);
    }

    [Fact]
    public async Task Token_f1_keeps_accented_cjk_and_drops_emoji_tokens()
    {
        var row = Answers("préstamo 東京 liquidación");

        var same = await Score(Match("token-f1", threshold: 0.99), row, Output("Préstamo, 東京 🙂 liquidación."));
        var unaccented = await Score(Match("token-f1", threshold: 0.99), row, Output("prestamo 東京 liquidacion"));

        Assert.True(same.Passed, same.Reason);
        Assert.Equal(1.0 / 3, unaccented.Value!.Value, 6);
    }

    // ---- numeric ----

    [Theory]
    [InlineData("Your payoff is $182,410.22 valid until Nov 30.", "The amount: 182410.22 by 30 Nov", null, true)]
    [InlineData("Saldo: 182.410,22 €", "Tiene 182.410,22 euros", "es-ES", true)]
    [InlineData("Saldo: 182.410,22 €", "You owe $182,410.22", "es-ES", true)]
    [InlineData("Saldo: 1.234,5 €", "Tiene 1234.5 euros", "de-DE", true)]
    [InlineData("Saldo: 1.234 €", "Tiene 1234 euros", "de-DE", true)]
    [InlineData("Balance: 1.234", "Balance: 1234", null, false)] // 1.234 in English is one point two three four
    [InlineData("Saldo: 182.410,22 €", "You owe $182,410.22", null, true)] // both separators: unambiguous without a locale
    [InlineData("Solde 1\u202F234\u202F567", "balance is 1234567", "fr-FR", true)]
    [InlineData("Solde 1 234 567", "balance is 1,234,567", null, true)]
    [InlineData("balance 1234", "Solde 1 234", null, true)]
    [InlineData("Your payoff is $182,410.22", "Your payoff is $182,445.22", null, false)]
    public async Task Numeric_reads_separators_the_locale_way(string answer, string output, string? locale, bool passes)
    {
        var score = await Score(Match("numeric"), Answers(answer).InLocale(locale), Output(output));

        Assert.True(score.Passed == passes, score.Reason);
    }

    [Fact]
    public async Task Numeric_needs_every_number_of_the_answer()
    {
        var score = await Score(Match("numeric"), Answers("$182,410.22, valid until Nov 30"), Output("It is 182,410.22 dollars."));

        Assert.Equal((false, 0.5), (score.Passed, score.Value));
        Assert.Equal("missing 30 (tolerance 1E-09); output has 182,410.22", score.Reason);
    }

    [Fact]
    public async Task Numeric_ignores_extra_numbers_and_words_in_the_output()
    {
        var score = await Score(Match("numeric"), Answers("$3,218.56"), Output("Checking CHK-4471: 3218.56 available, 3,218.56 current, as of Nov 18."));

        Assert.Equal((true, 1.0), (score.Passed, score.Value));
    }

    [Fact]
    public async Task Numeric_takes_the_best_of_several_answers()
    {
        var score = await Score(Match("numeric"), Answers("about 12 months", "$182,410.22"), Output("182410.22"));

        Assert.True(score.Passed, score.Reason);
        Assert.Equal("every number of \"$182,410.22\" appears in the output", score.Reason);
    }

    [Fact]
    public async Task Numeric_tolerance_is_relative()
    {
        var within = await Score(Match("numeric", tolerance: 0.01), Answers("about 100"), Output("roughly 100.9"));
        var outside = await Score(Match("numeric", tolerance: 0.01), Answers("about 100"), Output("roughly 102"));
        var large = await Score(Match("numeric", tolerance: 0.01), Answers("1,000,000"), Output("1,009,000"));

        Assert.True(within.Passed);
        Assert.False(outside.Passed);
        Assert.Contains("missing 100 (tolerance 0.01); output has 102", outside.Reason, StringComparison.Ordinal);
        Assert.True(large.Passed);
    }

    [Fact]
    public async Task Numeric_without_tolerance_needs_the_exact_value()
    {
        var score = await Score(Match("numeric"), Answers("$182,410.22"), Output("$182,410.23"));

        Assert.False(score.Passed);
    }

    [Fact]
    public async Task Numeric_fails_an_empty_output_saying_it_has_no_numbers()
    {
        var score = await Score(Match("numeric"), Answers("$25"), Output(string.Empty));

        Assert.Equal((false, 0.0), (score.Passed, score.Value));
        Assert.EndsWith("output has no numbers", score.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Numeric_applies_only_to_rows_whose_answers_hold_a_number()
    {
        Assert.False(Match("numeric").AppliesTo(Answers("I'm transferring you to an agent.")));
        Assert.True(Match("numeric").AppliesTo(Answers("I'm transferring you to an agent.", "Call 1 800 555 0199")));
        Assert.True(Match("token-f1", threshold: 0.5).AppliesTo(Answers("I'm transferring you to an agent.")));
    }

    // ---- json ----

    [Theory]
    [InlineData("{\"a\":1,\"b\":[1,2,{\"c\":\"x\"}]}", "{\"b\":[1,2,{\"c\":\"x\"}],\"a\":1.0}")]
    [InlineData("{\"a\":1}", "```json\n{\"a\": 1}\n```")]
    [InlineData("{\"a\":1}", "```\n{\"a\": 1}\n```")]
    [InlineData("{\"a\":1e2,\"t\":true,\"n\":null}", "  {\"n\":null,\"t\":true,\"a\":100}  ")]
    [InlineData("[1,2]", "[1.0, 2.00]")]
    public async Task Json_equal_structures_pass_whatever_key_order_and_number_spelling(string answer, string output)
    {
        var score = await Score(Match("json"), Answers(answer), Output(output));

        Assert.True(score.Passed, score.Reason);
        Assert.Equal("output JSON equals an expected answer (key order ignored)", score.Reason);
    }

    [Theory]
    [InlineData("{\"a\":1}", "{\"a\":1,\"extra\":true}", "$.extra: unexpected")]
    [InlineData("{\"a\":1,\"b\":2}", "{\"a\":1}", "$.b: missing")]
    [InlineData("[1,2]", "[2,1]", "$[0]: expected 1, got 2")]
    [InlineData("{\"b\":[1,2,{\"c\":\"x\"}]}", "{\"b\":[1,2,{\"c\":\"X\"}]}", "$.b[2].c: expected \"x\", got \"X\"")]
    [InlineData("{\"a\":1}", "{\"a\":\"1\"}", "$.a: expected number 1, got string \"1\"")]
    [InlineData("{\"a\":true}", "{\"a\":false}", "$.a: expected true, got false")]
    public async Task Json_differences_fail_naming_the_path(string answer, string output, string difference)
    {
        var score = await Score(Match("json"), Answers(answer), Output(output));

        Assert.Equal((false, 0.0), (score.Passed, score.Value));
        Assert.Equal($"output JSON differs from the expected answer: {difference}", score.Reason);
    }

    [Fact]
    public async Task Json_accepts_any_one_of_several_answers()
    {
        var score = await Score(Match("json"), Answers("{\"status\":\"open\"}", "{\"status\":\"pending\"}"), Output("{\"status\":\"pending\"}"));

        Assert.True(score.Passed, score.Reason);
    }

    [Theory]
    [InlineData("sure! here it is: a=1")]
    [InlineData("")]
    [InlineData("Here you go:\n```json\n{\"a\":1}\n```")]
    public async Task Json_fails_output_that_is_not_json_with_a_reason(string output)
    {
        var score = await Score(Match("json"), Answers("{\"a\":1}"), Output(output));

        Assert.Equal((false, 0.0), (score.Passed, score.Value));
        Assert.StartsWith("output is not JSON: ", score.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_answer_that_is_not_json_is_flagged_by_check_row_and_undecided_when_scored()
    {
        var row = Answers("{oops");

        var score = await Score(Match("json"), row, Output("{\"a\":1}"));

        Assert.Contains("expected.answers[0] is not valid JSON", Assert.Single(Match("json").CheckRow(row)), StringComparison.Ordinal);
        Assert.Null(score.Passed);
        Assert.StartsWith("expected answer is not valid JSON", score.Error, StringComparison.Ordinal);
    }

    // ---- regex ----

    [Fact]
    public async Task Regex_answers_are_patterns_searched_in_the_output()
    {
        var row = Answers(@"^Your payoff amount is \$[\d,]+\.\d{2}");

        var hit = await Score(Match("regex"), row, Output("Your payoff amount is $182,410.22, valid until Nov 30."));
        var miss = await Score(Match("regex"), row, Output("I can't tell you that."));

        Assert.Equal((true, 1.0), (hit.Passed, hit.Value));
        Assert.Equal((false, 0.0), (miss.Passed, miss.Value));
        Assert.StartsWith("output \"I can't tell you that.\" matches none of /^Your payoff", miss.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Regex_accepts_any_one_of_several_patterns_and_is_case_sensitive_unless_the_pattern_says_so()
    {
        var row = Answers("Nov(ember)? 30", "(?i)thirtieth");

        Assert.True((await Score(Match("regex"), row, Output("valid until the THIRTIETH"))).Passed);
        Assert.True((await Score(Match("regex"), row, Output("valid until November 30"))).Passed);
        Assert.False((await Score(Match("regex"), row, Output("valid until nov 30"))).Passed);
    }

    [Fact]
    public async Task Regex_invalid_pattern_is_flagged_by_check_row_and_undecided_when_scored()
    {
        var row = Answers("([unclosed");

        var score = await Score(Match("regex"), row, Output("anything"));

        Assert.Contains("expected.answers[0] is not a valid regular expression", Assert.Single(Match("regex").CheckRow(row)), StringComparison.Ordinal);
        Assert.Null(score.Passed);
        Assert.StartsWith("expected answer is not a valid regular expression", score.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("exact")]
    [InlineData("token-f1")]
    [InlineData("numeric")]
    public void Other_methods_do_not_check_answers_as_patterns_or_json(string method) =>
        Assert.Empty(Match(method, threshold: 0.5).CheckRow(Answers("([unclosed {oops 1")));

    // ---- applicability ----

    [Fact]
    public void Does_not_apply_to_a_row_without_answers()
    {
        Assert.False(Match("exact").AppliesTo(Context("some chunk")));
        Assert.False(Match("exact").AppliesTo(Answers()));
    }

    [Fact]
    public async Task Unknown_method_is_an_error_not_a_verdict()
    {
        var score = await Score(Match("levenshtein"), Answers("x"), Output("x"));

        Assert.Null(score.Passed);
        Assert.Equal("unknown method 'levenshtein'", score.Error);
    }
}
