using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Files;
using Flywheel.Evals.Reports;
using Flywheel.Evals.Runs;
using Flywheel.Evals.Suites;
using Microsoft.Build.Framework;

namespace Flywheel.Build.Tasks.Gating;

/// <summary>Runs a suite through the engine, writes run.json and report.md, logs the cohort table, and fails the build when the verdict is not passed.</summary>
/// <remarks>The engine decides every score and verdict; this task only places them: one error per failed gate at its line of the suite, one warning per regression at its line of rows.jsonl.</remarks>
public sealed class RunFlywheelGate : FlywheelTask
{
    /// <summary>The suite file (a FlywheelSuite item).</summary>
    [Required]
    public ITaskItem? Suite { get; set; }

    /// <summary>A responses JSONL that replaces the suite's recorded target.</summary>
    public string? Responses { get; set; }

    /// <summary>A baseline run.json to compare with.</summary>
    public string? Baseline { get; set; }

    /// <summary>A git revision whose suite, datasets and responses make the baseline (at the merge base with HEAD).</summary>
    public string? BaselineRef { get; set; }

    /// <summary>Where run.json and report.md are written.</summary>
    [Required]
    public string OutputDir { get; set; } = string.Empty;

    /// <summary>False to make insufficient cohorts warnings for every gate.</summary>
    public bool FailOnInsufficient { get; set; } = true;

    /// <summary>How many rows are scored at once; 0 for the engine's default.</summary>
    public int Concurrency { get; set; }

    /// <summary>passed, failed or error.</summary>
    [Output]
    public string? Verdict { get; private set; }

    /// <summary>The run.json written.</summary>
    [Output]
    public string? RunJsonPath { get; private set; }

    /// <summary>The Markdown report written.</summary>
    [Output]
    public string? ReportPath { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var root = ResolveRoot();
        var suitePath = Path.GetFullPath(Suite!.ItemSpec, ProjectDirectory);
        var options = new RunOptions
        {
            Root = root,
            Config = suitePath,
            Responses = FromProject(Responses),
            Baseline = FromProject(Baseline),
            BaselineRef = string.IsNullOrWhiteSpace(BaselineRef) ? null : BaselineRef,
            FailOnInsufficient = FailOnInsufficient,
        };
        if (Concurrency > 0)
        {
            options = options with { Concurrency = Concurrency };
        }

        RunResult result;
        try
        {
            // A folder that cannot take the outputs stops the task before the run, not after its work.
            AtomicFile.CheckFolder(Path.GetFullPath(OutputDir, ProjectDirectory));
            result = await SuiteRunner.RunAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (FlywheelInputException ex)
        {
            Diagnostics.Log(ex.Diagnostics, root);
            Verdict = Verdicts.Error;
            return;
        }

        await using (result)
        {
            var run = result.Run;
            Verdict = run.Verdict;
            Diagnostics.Log(result.Diagnostics, root);
            var written = await WriteFilesAsync(run, root, cancellationToken).ConfigureAwait(false);
            await LogTableAsync(run, cancellationToken).ConfigureAwait(false);
            LogGates(run, suitePath);
            LogRegressions(run, root);
            if (!written)
            {
                // As on the command line: a run whose files could not be written is not recorded, so it does not pass.
                Verdict = Verdicts.Error;
                return;
            }
            if (run.Verdict != Verdicts.Passed && !Log.HasLoggedErrors)
            {
                // Every failing verdict names its cause above; this only guards against a verdict without one.
                Diagnostics.Error(DiagnosticCodes.GateFailed, suitePath, 0, 0, $"the verdict is {run.Verdict}");
            }

            Log.LogMessage(MessageImportance.High, "{0}", $"Flywheel: verdict {run.Verdict}; run written to {RunJsonPath}, report to {ReportPath}");
        }
    }

    /// <summary>Writes run.json and report.md; false, with the reason logged, when they cannot be written.</summary>
    private async Task<bool> WriteFilesAsync(Run run, string root, CancellationToken cancellationToken)
    {
        var outDir = Path.GetFullPath(OutputDir, ProjectDirectory);
        var markdown = new MarkdownReport();
        try
        {
            await RunOutputs.WriteAsync(run, outDir, [markdown], cancellationToken).ConfigureAwait(false);
        }
        catch (FlywheelInputException ex)
        {
            Diagnostics.Log(ex.Diagnostics, root);
            return false;
        }

        RunJsonPath = Path.Combine(outDir, RunOutputs.RunFileName);
        ReportPath = Path.Combine(outDir, markdown.FileName!);
        return true;
    }

    // The console report (cohort table, gates with their first failing rows, regressions) is what a person reads in the build log.
    private async Task LogTableAsync(Run run, CancellationToken cancellationToken)
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        await new ConsoleReport().WriteAsync(run, text, cancellationToken).ConfigureAwait(false);
        foreach (var line in text.ToString().Split('\n'))
        {
            Log.LogMessage(MessageImportance.High, "{0}", line.TrimEnd('\r'));
        }
    }

    private void LogGates(Run run, string suitePath)
    {
        foreach (var gate in run.Gates)
        {
            var line = gate.Line ?? 0;
            if (gate.Status == GateStatuses.Failed)
            {
                Diagnostics.Error(DiagnosticCodes.GateFailed, suitePath, line, 0, $"gate failed: {gate.Message}");
            }
            else if (gate.Status == GateStatuses.Insufficient)
            {
                var message = $"gate cohort insufficient: {gate.Message}";
                if (gate.Blocking)
                {
                    Diagnostics.Error(DiagnosticCodes.GateInsufficient, suitePath, line, 0, message);
                }
                else
                {
                    Diagnostics.Warning(DiagnosticCodes.GateInsufficient, suitePath, line, 0, message);
                }
            }
        }
    }

    // One warning per row, at its line, naming every evaluator that flipped (run.json lists row × evaluator pairs).
    private void LogRegressions(Run run, string root)
    {
        var rowsFiles = run.Datasets.ToDictionary(
            d => d.Name,
            d => d.Path is null ? null : Path.GetFullPath(d.Path.TrimEnd('/') + "/rows.jsonl", root),
            StringComparer.Ordinal);
        foreach (var row in run.Regressions.GroupBy(r => (r.Dataset, r.Id)))
        {
            var file = rowsFiles.GetValueOrDefault(row.Key.Dataset);
            var line = row.First().Line ?? 0;
            var why = string.Join("; ", row.Select(r => string.IsNullOrWhiteSpace(r.Reason) ? $"[{r.Evaluator}]" : $"[{r.Evaluator}]: {r.Reason}"));
            Diagnostics.Warning(DiagnosticCodes.RowRegressed, file, line, line > 0 ? 1 : 0, $"row '{row.Key.Id}' passed on the baseline and fails now {why}");
        }
    }
}
