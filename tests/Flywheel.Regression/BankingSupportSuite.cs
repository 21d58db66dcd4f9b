using Flywheel.Evals.Xunit;

namespace Flywheel.Regression;

/// <summary>The repository's own suite over the baseline responses: one case per row and evaluator, one test per gate. It must stay green.</summary>
public sealed class BankingSupportSuite(FlywheelSuite suite)
{
    public const string Config = "evaluators/flywheel.json";
    public const string Responses = "samples/responses/baseline.jsonl";

    [Theory]
    [FlywheelRows(Config, Responses = Responses)]
    public Task Row(string dataset, string id, string evaluator) => suite.AssertRowAsync(Config, dataset, id, evaluator, Responses);

    [Theory]
    [FlywheelGates(Config, Responses = Responses)]
    public Task Gate(int gate) => suite.AssertGateAsync(Config, gate, Responses);
}
