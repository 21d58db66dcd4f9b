using System.Globalization;
using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Reports;

/// <summary>Formatting shared by the text reports.</summary>
public static class ReportText
{
    /// <summary>A rate as a percentage, or a dash.</summary>
    public static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "–";

    /// <summary>A change in percentage points with its sign and an arrow, or empty.</summary>
    public static string Delta(double? delta)
    {
        if (delta is not { } d)
        {
            return string.Empty;
        }

        var points = (d * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture);
        var arrow = d > 0.0005 ? "▲" : d < -0.0005 ? "▼" : "=";
        return $"{arrow} {points} pt";
    }

    /// <summary>A 95% interval as [low, high] percent.</summary>
    public static string Interval(IReadOnlyList<double>? ci) =>
        ci is { Count: 2 } ? $"[{(ci[0] * 100).ToString("0.0", CultureInfo.InvariantCulture)}, {(ci[1] * 100).ToString("0.0", CultureInfo.InvariantCulture)}]" : "–";

    /// <summary>How many failed gates a headline names before it says how many more there are.</summary>
    public const int NamedGates = 20;

    /// <summary>The verdict and why, in one sentence, naming the first <see cref="NamedGates"/> failed gates.</summary>
    public static string Headline(Run run)
    {
        var verdict = Verdict(run);
        if (run.Verdict != Verdicts.Failed)
        {
            return verdict;
        }

        var labels = FailedGateLabels(run);
        var more = labels.Count > NamedGates ? $", … and {Count(labels.Count - NamedGates)} more" : string.Empty;
        return $"{verdict[..^1]} ({string.Join(", ", labels.Take(NamedGates))}{more}).";
    }

    /// <summary>The verdict with its counts in one sentence, naming no gate.</summary>
    public static string Verdict(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var blocking = run.Gates.Count(g => g.Blocking);
        var total = run.Gates.Count;
        return run.Verdict switch
        {
            Verdicts.Passed => $"Flywheel gate passed: all {Count(total)} gate check(s) passed over {Count(run.Rows.Count)} row(s).",
            Verdicts.Failed => $"Flywheel gate failed: {Count(blocking)} of {Count(total)} gate check(s) failed.",
            _ when run.UndecidedScores > 0 =>
                $"Flywheel gate could not decide: {run.Errors.Count} error(s), {run.UndecidedScores} undecided score(s){(run.ModelCalls?.BudgetExhausted == true ? " (call budget exhausted)" : string.Empty)}; fix them and run again.",
            _ => $"Flywheel gate could not decide: {run.Errors.Count} input error(s); fix them and run again.",
        };
    }

    /// <summary>The labels of the gates that fail the run (see <see cref="Label"/>), each once, in suite order.</summary>
    public static IReadOnlyList<string> FailedGateLabels(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Gates.Where(g => g.Blocking).Select(Label).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>A count with thousands separators.</summary>
    public static string Count(long n) => n.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>One line per model endpoint the run called (requests, cache hits, retries, failures), plus the budget; empty without models.</summary>
    public static IReadOnlyList<string> ModelCalls(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.ModelCalls is not { } calls)
        {
            return [];
        }

        var lines = calls.Endpoints.Select(e =>
            $"{e.Role} {e.Model} at {e.Endpoint}: {e.Requests} request(s), {e.CacheHits} cache hit(s), {e.Retries} retr{(e.Retries == 1 ? "y" : "ies")}, {e.Failures} failed call(s)"
            + (e.InputTokens + e.OutputTokens > 0 ? $", {e.InputTokens}+{e.OutputTokens} tokens" : string.Empty)
            + (e.CacheWriteFailures > 0 ? $", {e.CacheWriteFailures} answer(s) not cached (write failed)" : string.Empty)).ToList();
        var extras = new List<string>();
        if (calls.JudgeRepeats is > 1)
        {
            extras.Add($"judge asked {calls.JudgeRepeats} times per question, {run.Unstable?.Count ?? 0} unstable score(s)");
        }

        if (calls.MaxCalls is { } max)
        {
            extras.Add($"budget {max} request(s){(calls.BudgetExhausted ? ", exhausted" : string.Empty)}");
        }

        if (extras.Count > 0)
        {
            lines.Add(string.Join("; ", extras));
        }

        return lines;
    }

    /// <summary>A gate's cohort with its evaluator when it is not the row-level pass.</summary>
    public static string Label(GateResult gate)
    {
        ArgumentNullException.ThrowIfNull(gate);
        return gate.Evaluator == "*" ? gate.Cohort : $"{gate.Cohort} [{gate.Evaluator}]";
    }

    /// <summary>The first failing rows of a gate's cohort (for "which rows to look at").</summary>
    public static IReadOnlyList<RunRow> FailingRows(Run run, GateResult gate, int max)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(gate);

        // The cohort is parsed once, not per row: thousands of failed gates each scan every failing row.
        var cohort = CohortTag(gate.Cohort);
        return run.Rows.NotPassing.Where(r => r.Gates && InCohort(r, cohort) && FailsOn(r, gate.Evaluator)).Take(max).ToList();
    }

    /// <summary>True when a row does not pass <paramref name="evaluator"/> (<c>*</c>: the row-level pass).</summary>
    internal static bool FailsOn(RunRow row, string evaluator) =>
        evaluator == "*" ? row.Passed != true : row.Scores.Any(s => s.Evaluator == evaluator && s.Passed != true);

    /// <summary>The reason a row failed: the first failing evaluator's reason.</summary>
    public static string Why(RunRow row, string evaluator = "*") => Why(row, evaluator, int.MaxValue);

    /// <summary>The reason a row failed, cut to <paramref name="max"/> characters before anything long is copied.</summary>
    internal static string Why(RunRow row, string evaluator, int max)
    {
        ArgumentNullException.ThrowIfNull(row);
        var score = row.Scores.FirstOrDefault(s => s.Passed != true && (evaluator == "*" || s.Evaluator == evaluator));
        var why = score is null ? row.Error ?? string.Empty : $"{score.Evaluator}: {PrintableText.Shorten(score.Reason ?? score.Error ?? string.Empty, max)}";
        return PrintableText.Shorten(why, max);
    }

    /// <summary>True when a row belongs to a cohort.</summary>
    public static bool InCohort(RunRow row, string cohort)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(cohort);
        return InCohort(row, CohortTag(cohort));
    }

    private static bool InCohort(RunRow row, (bool All, string Key, string Value) cohort) =>
        cohort.All || (cohort.Key.Length > 0 && row.Tags.TryGetValue(cohort.Key, out var value) && value == cohort.Value);

    /// <summary>A cohort as the tag it selects: <c>*</c> selects every row, <c>key=value</c> one tag, anything else none (an empty key).</summary>
    internal static (bool All, string Key, string Value) CohortTag(string cohort)
    {
        if (cohort == "*")
        {
            return (true, string.Empty, string.Empty);
        }

        var equals = cohort.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 ? (false, cohort[..equals], cohort[(equals + 1)..]) : (false, string.Empty, string.Empty);
    }
}
