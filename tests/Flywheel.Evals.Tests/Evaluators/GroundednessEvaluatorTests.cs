using Flywheel.Evals.Datasets;
using Flywheel.Evals.Evaluators;
using Flywheel.Evals.Suites;
using static Flywheel.Evals.Tests.Evaluators.EvaluatorCases;

namespace Flywheel.Evals.Tests.Evaluators;

public sealed class GroundednessEvaluatorTests
{
    private static readonly GroundednessEvaluator Grounded = new(new EvaluatorConfig { Name = "grounded", Kind = EvaluatorKinds.Groundedness, Method = "lexical", Threshold = 0.7 });

    private static readonly string[] Chunks =
    [
        "Payoff quote for loan L-1001: $182,410.22, valid until Nov 30. Includes principal, accrued interest and a $25 payoff fee.",
        "Card disputes are resolved within 10 business days.",
    ];

    [Fact]
    public async Task Answer_drawn_from_the_context_is_fully_supported()
    {
        var score = await Score(Grounded, Context(Chunks), Output("Your payoff amount for loan L-1001 is $182,410.22, valid until Nov 30. It includes the $25 payoff fee."));

        Assert.Equal((true, 1.0), (score.Passed, score.Value));
        Assert.Equal("all 2 claim(s) supported by the context", score.Reason);
    }

    [Fact]
    public async Task Text_that_unicode_normalization_refuses_is_scored_not_an_error()
    {
        // U+FFFE and unpaired surrogates are valid JSON escapes, and string.Normalize throws on both (set directly: the
        // serializer that builds test responses would replace a lone surrogate).
        var score = await Score(Grounded, Context(Chunks), Output("x") with { Output = "Card disputes\uFFFE are resolved within 10 business days\uD83D." });

        Assert.Null(score.Error);
        Assert.Equal((true, 1.0), (score.Passed, score.Value));
    }

    [Fact]
    public async Task Invented_number_makes_its_claim_unsupported_and_is_named_as_written()
    {
        var score = await Score(Grounded, Context(Chunks), Output("Your payoff for loan L-1001 is $182,410.22, valid until Nov 30. A $35 processing fee also applies."));

        Assert.Equal((false, 0.5), (score.Passed, score.Value));
        Assert.Contains("\"A $35 processing fee also applies.\"", score.Reason, StringComparison.Ordinal);
        Assert.Contains("35 appears in no context chunk", score.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_claim_must_be_supported_by_one_chunk_not_pieced_together()
    {
        var score = await Score(Grounded, Context(Chunks), Output("Card disputes for loan L-1001 are resolved within 10 business days."));

        Assert.False(score.Passed);
    }

    [Fact]
    public async Task Claims_with_too_few_context_words_are_unsupported()
    {
        var score = await Score(Grounded, Context(Chunks), Output("Our branches open on Saturdays from nine to noon."));

        Assert.Equal(0.0, score.Value);
        Assert.Contains("needs 60%", score.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Your payoff for loan L-1001 is $182,410.22.")]
    public async Task A_chunk_holding_characters_normalization_refuses_is_read_whatever_the_answer(string answer)
    {
        // string.Normalize throws on unpaired surrogates and U+FFFE: such a chunk is read as if each were U+FFFD.
        var row = Context(Chunks) with { Context = [new ContextChunk { Id = "c1", Text = Chunks[0] }, new ContextChunk { Id = "c2", Text = "broken \uD800 chunk é\uFFFE" }] };

        var score = await Score(Grounded, row, Output(answer));

        Assert.Null(score.Error);
        Assert.True(score.Passed, score.Reason);
    }

    [Fact]
    public async Task Accented_chunks_support_claims_through_the_folding_table()
    {
        var score = await Score(Grounded, Context(["El préstamo L-1001 vence el 30 de noviembre; liquidación 182.410,22 €."]), Output("La liquidación del prestamo L-1001 es 182.410,22 €."));

        Assert.Equal((true, 1.0), (score.Passed, score.Value));
    }

    [Fact]
    public async Task Empty_answer_has_no_claims_and_says_so()
    {
        var score = await Score(Grounded, Context(Chunks), Output(string.Empty));

        Assert.True(score.Passed);
        Assert.StartsWith("no factual claims", score.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spanish_accents_and_number_formats_are_matched()
    {
        var row = Context("Cotización de liquidación del préstamo L-1013: 95.310,40 €, válida hasta el 30 nov.");

        var score = await Score(Grounded, row, Output("La liquidación del prestamo L-1013 es de 95.310,40 €, valida hasta el 30 nov."));

        Assert.True(score.Passed, score.Reason);
    }

    [Fact]
    public void Does_not_apply_without_context() => Assert.False(Grounded.AppliesTo(Answers("x")));
}
