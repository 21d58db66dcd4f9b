using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Gates;
using Flywheel.Evals.Runs;
using Flywheel.Evals.Suites;

namespace Flywheel.Evals.Reports;

/// <summary>
/// Checks that a run read back from a file agrees with itself: each gate's outcome is what its cohort's figures give,
/// and the verdict is what the gates and errors give. A run that contradicts itself was edited or damaged; it is
/// refused rather than rendered, so no report ever prints a verdict its own gates do not support.
/// </summary>
/// <remarks>
/// The verdict is checked, not recomputed: recomputing would silently pick one side of the contradiction (and the
/// gates may be the edited side), and a report would then disagree with the exit code the gate gave for the same run.
/// What is checked is what the engine derives from the cohorts; the cohorts themselves are not recounted from the rows.
/// </remarks>
internal static class RunConsistency
{
    /// <summary>Throws every contradiction found in <paramref name="run"/>.</summary>
    /// <param name="run">The run as read (its rows are not needed).</param>
    /// <param name="display">The file as named in diagnostics.</param>
    /// <param name="lines">The line of each top-level property in the file.</param>
    /// <exception cref="FlywheelInputException">The run contradicts itself (<see cref="DiagnosticCodes.BadBaseline"/>).</exception>
    public static void Check(Run run, string display, IReadOnlyDictionary<string, int> lines)
    {
        var problems = new List<Diagnostic>();
        var gatesLine = lines.GetValueOrDefault("gates", 1);
        var hasBaseline = run.Baseline is not null;
        foreach (var gate in run.Gates)
        {
            var cohort = run.Cohorts.FirstOrDefault(c => c.Cohort == gate.Cohort && c.Evaluator == gate.Evaluator)
                ?? new CohortResult { Cohort = gate.Cohort, Evaluator = gate.Evaluator };
            // The rows removed were counted against the baseline's datasets when the run was made; the file records the count.
            var removed = gate.RowsRemoved is { } count ? new Dictionary<string, int>(StringComparer.Ordinal) { [gate.Cohort] = count } : null;
            var expected = GateEvaluator.Judge(ConfigOf(gate), cohort, hasBaseline, removed);
            if (expected.Status != gate.Status || expected.Blocking != gate.Blocking)
            {
                problems.Add(new Diagnostic(display, gatesLine, 1, DiagnosticCodes.BadBaseline,
                    $"the run contradicts itself: the gate on {ReportText.Label(gate)}{(gate.Line is { } line ? $" (line {line} of the suite)" : string.Empty)} is {Outcome(gate)}, but its cohort's figures make it {Outcome(expected)} ({expected.Message}); the file was edited or damaged, so it is not reported"));
            }
        }

        var verdict = Verdicts.Decide(run.Errors.Count, run.Gates);
        if (run.Verdict != verdict)
        {
            var why = run.Errors.Count > 0
                ? $"{run.Errors.Count} error(s)"
                : $"{run.Gates.Count(g => g.Blocking)} blocking gate(s) of {run.Gates.Count}";
            problems.Add(new Diagnostic(display, lines.GetValueOrDefault("verdict", 1), 1, DiagnosticCodes.BadBaseline,
                $"the run contradicts itself: its verdict is \"{run.Verdict}\" but its {why} make it \"{verdict}\"; the file was edited or damaged, so it is not reported"));
        }

        if (problems.Count > 0)
        {
            throw new FlywheelInputException(problems);
        }
    }

    // The gate as the suite declared it, from what its result records; an insufficient gate that does not block was a warn-only gate.
    private static GateConfig ConfigOf(GateResult gate) => new()
    {
        Cohort = gate.Cohort,
        Evaluator = gate.Evaluator,
        MinPassRate = gate.MinPassRate,
        MinRows = gate.MinRows,
        MaxDrop = gate.MaxDrop,
        MaxRowsRemoved = gate.MaxRowsRemoved,
        WarnOnInsufficient = gate.Status == GateStatuses.Insufficient && !gate.Blocking,
        Index = gate.Gate,
        Line = gate.Line ?? 0,
    };

    private static string Outcome(GateResult gate) => gate.Blocking ? $"{gate.Status} (blocking)" : gate.Status;
}
