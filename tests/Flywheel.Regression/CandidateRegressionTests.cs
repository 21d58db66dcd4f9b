using Flywheel.Evals.Xunit;
using Xunit.Sdk;

namespace Flywheel.Regression;

/// <summary>The same suite over the candidate responses: the regression must be visible, exactly where it is.</summary>
public sealed class CandidateRegressionTests(FlywheelSuite suite)
{
    private const string Config = BankingSupportSuite.Config;
    private const string Candidate = "samples/responses/candidate.jsonl";

    [Fact]
    public async Task Intent_gates_fail_for_wire_transfer_and_mortgage_payoff_only()
    {
        var error = await Assert.ThrowsAsync<FailException>(() => suite.AssertGateAsync(Config, 1, Candidate));

        Assert.Contains("intent=wire_transfer: pass rate", error.Message, StringComparison.Ordinal);
        Assert.Contains("intent=mortgage_payoff: pass rate", error.Message, StringComparison.Ordinal);
        foreach (var intent in new[] { "account_balance", "card_dispute", "escalation" })
        {
            Assert.DoesNotContain($"intent={intent}:", error.Message, StringComparison.Ordinal);
        }

        TestContext.Current.SendDiagnosticMessage(error.Message);
    }

    [Fact]
    public async Task Mortgage_payoff_gate_fails_naming_the_invented_fee()
    {
        var error = await Assert.ThrowsAsync<FailException>(() => suite.AssertGateAsync(Config, 0, Candidate));

        Assert.Contains("intent=mortgage_payoff", error.Message, StringComparison.Ordinal);
        Assert.Contains("appears in no context chunk", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_tool_row_fails_with_reason_input_and_response()
    {
        var run = await suite.RunAsync(Config, Candidate);
        var wrongTool = run.Run.Rows.NotPassing.First(r => r.Id.StartsWith("wire-transfer-", StringComparison.Ordinal) && r.Scores.Any(s => s.Evaluator == "tools" && s.Passed == false));

        var error = await Assert.ThrowsAsync<FailException>(() => suite.AssertRowAsync(Config, wrongTool.Dataset, wrongTool.Id, "tools", Candidate));

        Assert.Contains("initiate_ach_transfer", error.Message, StringComparison.Ordinal);
        Assert.Contains("input: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("tool calls: initiate_ach_transfer(", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_run_leaves_run_json_report_and_junit_for_other_ci_systems()
    {
        await suite.RunAsync(Config, Candidate);
        var folder = FlywheelSuite.OutputDirectory(Config, Candidate);

        using var run = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "run.json"), TestContext.Current.CancellationToken));
        Assert.Equal("failed", run.RootElement.GetProperty("verdict").GetString());
        var junit = System.Xml.Linq.XDocument.Load(Path.Combine(folder, "junit.xml"));
        Assert.Contains(junit.Descendants("testcase"), c => c.Element("failure") is not null);
        Assert.Contains("intent=mortgage_payoff", await File.ReadAllTextAsync(Path.Combine(folder, "report.md"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
