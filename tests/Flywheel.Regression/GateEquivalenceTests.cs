using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Flywheel.Evals.Xunit;
using Xunit.Sdk;

namespace Flywheel.Regression;

/// <summary>dotnet test and flywheel gate are one engine: same cases, same verdict for every case.</summary>
public sealed class GateEquivalenceTests(FlywheelSuite suite)
{
    [Theory]
    [InlineData("samples/responses/baseline.jsonl")]
    [InlineData("samples/responses/candidate.jsonl")]
    public async Task Cases_and_outcomes_equal_what_flywheel_gate_reports(string responses)
    {
        var root = FindRoot();
        var output = Directory.CreateTempSubdirectory("flywheel-equivalence-").FullName;
        var gate = await RunCliAsync(root, "gate", "--responses", responses, "--out", output, "--quiet");
        Assert.True(gate.ExitCode is 0 or 1, $"flywheel gate exited {gate.ExitCode}: {gate.Error}");

        using var run = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "run.json"), TestContext.Current.CancellationToken));
        var expected = run.RootElement.GetProperty("rows").EnumerateArray()
            .SelectMany(r => r.GetProperty("scores").EnumerateArray().Select(s => (
                Case: $"{r.GetProperty("dataset").GetString()}/{r.GetProperty("id").GetString()} · {s.GetProperty("evaluator").GetString()}",
                Passed: s.TryGetProperty("passed", out var p) && p.GetBoolean(),
                Gating: r.GetProperty("review").GetString() == "approved")))
            .ToList();

        var method = typeof(BankingSupportSuite).GetMethod(nameof(BankingSupportSuite.Row))!;
        var rows = await new FlywheelRowsAttribute(BankingSupportSuite.Config) { Responses = responses }.GetData(method, new DisposalTracker());
        var actual = new List<(string Case, bool Passed, bool Gating)>();
        foreach (var row in rows)
        {
            var data = row.GetData();
            var (dataset, id, evaluator) = ((string)data[0]!, (string)data[1]!, (string)data[2]!);
            var passed = true;
            try
            {
                await suite.AssertRowAsync(BankingSupportSuite.Config, dataset, id, evaluator, responses);
            }
            catch (FailException)
            {
                passed = false;
            }

            actual.Add(($"{dataset}/{id} · {evaluator}", passed, row.Skip is null));
        }

        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected, actual);
        Assert.Equal(expected.Count, rows.Select(r => r.TestDisplayName).Distinct().Count());
        Directory.Delete(output, recursive: true);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, BankingSupportSuite.Config)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }

    private static async Task<(int ExitCode, string Error)> RunCliAsync(string root, params string[] args)
    {
        var dll = Path.Combine(Path.GetDirectoryName(Assembly.GetExecutingAssembly().Location)!, "flywheel.dll");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        _ = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await error);
    }
}
