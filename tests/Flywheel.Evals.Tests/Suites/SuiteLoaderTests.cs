using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Schemas;
using Flywheel.Evals.Suites;
using Flywheel.Evals.Tests.Support;

namespace Flywheel.Evals.Tests.Suites;

public sealed class SuiteLoaderTests
{
    private const string Valid = """
        {
          "datasets": ["datasets/a"],
          "target": { "kind": "recorded", "responses": "r.jsonl" },
          "evaluators": [
            { "name": "answer", "kind": "ground-truth-match", "method": "token-f1", "threshold": 0.8 },
            { "name": "grounded", "kind": "groundedness", "threshold": 0.7 },
            { "name": "tools", "kind": "tool-selection" }
          ],
          "gates": [
            { "cohort": "intent=mortgage_payoff", "evaluator": "*", "min_pass_rate": 0.92, "min_rows": 10 },
            { "cohort": "*", "max_drop": 0.02, "on_insufficient": "warn" }
          ]
        }
        """;

    [Fact]
    public async Task Reads_evaluators_gates_defaults_and_positions()
    {
        using var dir = new TempDirectory();
        dir.Write("evaluators/flywheel.json", Valid);

        var suite = await Load(dir);

        Assert.Equal("evaluators/flywheel.json", suite.Path);
        Assert.Equal(["answer", "grounded", "tools"], suite.Evaluators.Select(e => e.Name));
        Assert.Equal("lexical", suite.Evaluators[1].Method);
        Assert.Equal("rules", suite.Evaluators[2].Method);
        Assert.Equal(10, suite.Gates[0].MinRows);
        Assert.Equal(1, suite.Gates[1].MinRows);
        Assert.True(suite.Gates[1].WarnOnInsufficient);
        Assert.Equal(10, suite.Gates[0].Line);
        Assert.Equal(64, suite.Sha256.Length);
    }

    [Fact]
    public async Task Reports_every_problem_together_with_lines()
    {
        using var dir = new TempDirectory();
        dir.Write("evaluators/flywheel.json", Valid
            .Replace("\"tool-selection\"", "\"tool-choice\"", StringComparison.Ordinal)
            .Replace("\"method\": \"token-f1\", \"threshold\": 0.8", "\"method\": \"token-f1\"", StringComparison.Ordinal)
            .Replace("\"evaluator\": \"*\"", "\"evaluator\": \"nope\"", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => Load(dir));

        var codes = error.Diagnostics.Select(d => (d.Code, d.Line)).ToList();
        Assert.Contains((DiagnosticCodes.MissingThreshold, 5), codes);
        Assert.Contains((DiagnosticCodes.UnknownEvaluatorKind, 7), codes);
        Assert.Contains((DiagnosticCodes.GateUnknownEvaluator, 10), codes);
    }

    [Fact]
    public async Task Schema_violations_carry_the_line()
    {
        using var dir = new TempDirectory();
        dir.Write("evaluators/flywheel.json", Valid.Replace("\"min_rows\": 10", "\"min_rows\": \"ten\"", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => Load(dir));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal((DiagnosticCodes.SuiteSchema, 10), (diagnostic.Code, diagnostic.Line));
        Assert.Contains("min_rows", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_method_lists_the_methods_of_the_kind()
    {
        using var dir = new TempDirectory();
        dir.Write("evaluators/flywheel.json", Valid.Replace("\"token-f1\"", "\"bleu\"", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => Load(dir));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(DiagnosticCodes.UnknownMethod, diagnostic.Code);
        Assert.Contains("token-f1, exact, numeric, json, regex", diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"min_rows\": 10", "\"min_rows\": 2147483648", 10)]
    [InlineData("\"min_rows\": 10", "\"min_rows\": 18446744073709551616", 10)]
    [InlineData("\"max_drop\": 0.02", "\"max_drop\": 9223372036854775808", 11)]
    [InlineData("\"threshold\": 0.8", "\"threshold\": -99999999999999999999999", 5)]
    public async Task A_number_too_large_for_its_field_is_out_of_range_at_its_line_not_a_crash(string valid, string huge, int line)
    {
        using var dir = new TempDirectory();
        dir.Write("evaluators/flywheel.json", Valid.Replace(valid, huge, StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => Load(dir));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal((DiagnosticCodes.SuiteSchema, line), (diagnostic.Code, diagnostic.Line));
        Assert.EndsWith("is out of range", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_file_says_how_to_point_at_one()
    {
        using var dir = new TempDirectory();

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => Load(dir));

        Assert.Contains("--config", Assert.Single(error.Diagnostics).Message, StringComparison.Ordinal);
    }

    private static async Task<SuiteConfig> Load(TempDirectory dir)
    {
        var schemas = await FlywheelSchemas.LoadAsync(TestContext.Current.CancellationToken);
        return await new SuiteLoader(schemas).LoadAsync("evaluators/flywheel.json", dir.Path, TestContext.Current.CancellationToken);
    }
}
