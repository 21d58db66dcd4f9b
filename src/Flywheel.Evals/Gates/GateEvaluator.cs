using System.Globalization;
using Flywheel.Evals.Runs;
using Flywheel.Evals.Suites;

namespace Flywheel.Evals.Gates;

/// <summary>Holds cohort aggregates against the suite's gates: minimum pass rate, minimum rows, maximum drop against a baseline.</summary>
public static class GateEvaluator
{
    /// <summary>One result per gate and cohort (a <c>key=*</c> gate yields one per value).</summary>
    /// <param name="gates">The suite's gates.</param>
    /// <param name="cohorts">This run's aggregates, with baseline figures filled in when there is a baseline.</param>
    /// <param name="hasBaseline">True when a baseline run was given.</param>
    public static IReadOnlyList<GateResult> Evaluate(IReadOnlyList<GateConfig> gates, IReadOnlyList<CohortResult> cohorts, bool hasBaseline)
    {
        ArgumentNullException.ThrowIfNull(gates);
        ArgumentNullException.ThrowIfNull(cohorts);
        var results = new List<GateResult>();
        foreach (var gate in gates)
        {
            if (!CohortSelector.TryParse(gate.Cohort, out var selector, out _))
            {
                continue;
            }

            foreach (var cohort in Expand(selector, gate.Evaluator, cohorts))
            {
                results.Add(Judge(gate, cohort, hasBaseline));
            }
        }

        return results;
    }

    private static IEnumerable<CohortResult> Expand(CohortSelector selector, string evaluator, IReadOnlyList<CohortResult> cohorts)
    {
        if (!selector.Expands)
        {
            var name = CohortSelector.Name(selector.Key, selector.Value);
            yield return cohorts.FirstOrDefault(c => c.Cohort == name && c.Evaluator == evaluator)
                ?? new CohortResult { Cohort = name, Evaluator = evaluator };
            yield break;
        }

        var prefix = selector.Key + "=";
        var any = false;
        foreach (var cohort in cohorts.Where(c => c.Evaluator == evaluator && c.Cohort.StartsWith(prefix, StringComparison.Ordinal)))
        {
            any = true;
            yield return cohort;
        }

        if (!any)
        {
            // No row carries the key: report it rather than let the gate pass by having nothing to check.
            yield return new CohortResult { Cohort = selector.ToString(), Evaluator = evaluator };
        }
    }

    /// <summary>One gate held against one cohort's aggregate (also how a run file's gate outcomes are checked when read back).</summary>
    internal static GateResult Judge(GateConfig gate, CohortResult cohort, bool hasBaseline)
    {
        var label = cohort.Evaluator == "*" ? cohort.Cohort : $"{cohort.Cohort} [{cohort.Evaluator}]";
        var result = new GateResult
        {
            Gate = gate.Index,
            Line = gate.Line,
            Cohort = cohort.Cohort,
            Evaluator = cohort.Evaluator,
            Status = GateStatuses.Passed,
            Rows = cohort.Rows,
            PassRate = cohort.PassRate,
            MinPassRate = gate.MinPassRate,
            MinRows = gate.MinRows,
            MaxDrop = gate.MaxDrop,
            BaselinePassRate = cohort.BaselinePassRate,
            Message = string.Empty,
        };

        if (cohort.Rows < Math.Max(gate.MinRows, 1) || cohort.PassRate is null)
        {
            var need = Math.Max(gate.MinRows, 1);
            var warn = gate.WarnOnInsufficient ? " (warning only: on_insufficient is warn)" : string.Empty;
            return result with
            {
                Status = GateStatuses.Insufficient,
                Blocking = !gate.WarnOnInsufficient,
                Message = $"{label}: {cohort.Rows} row(s), fewer than the {need} the gate needs{warn}",
            };
        }

        var rate = cohort.PassRate.Value;
        var problems = new List<string>();
        var notes = new List<string>();
        if (gate.MinPassRate is { } min)
        {
            if (rate + 1e-12 < min)
            {
                problems.Add($"pass rate {Percent(rate)} ({cohort.Passed}/{cohort.Rows}) is below the minimum {Percent(min)}");
            }
            else
            {
                notes.Add($"pass rate {Percent(rate)} ({cohort.Passed}/{cohort.Rows}) meets the minimum {Percent(min)}");
            }
        }

        var skipped = false;
        if (gate.MaxDrop is { } maxDrop)
        {
            if (!hasBaseline)
            {
                skipped = gate.MinPassRate is null;
                notes.Add("max_drop not checked: no baseline (pass --baseline RUN.json)");
            }
            else if (cohort.BaselinePassRate is not { } before)
            {
                skipped = gate.MinPassRate is null;
                notes.Add("max_drop not checked: the baseline has no rows in this cohort");
            }
            else
            {
                var drop = before - rate;
                if (drop > maxDrop + 1e-12)
                {
                    problems.Add($"pass rate fell {Points(drop)} points (from {Percent(before)} to {Percent(rate)}), more than the allowed {Points(maxDrop)}");
                }
                else
                {
                    notes.Add($"change {Signed(-drop)} points against the baseline ({Percent(before)}), within {Points(maxDrop)}");
                }
            }
        }

        if (problems.Count > 0)
        {
            return result with { Status = GateStatuses.Failed, Blocking = true, Message = $"{label}: {string.Join("; ", problems)}" };
        }

        return result with
        {
            Status = skipped ? GateStatuses.Skipped : GateStatuses.Passed,
            Message = $"{label}: {string.Join("; ", notes)}",
        };
    }

    /// <summary>A rate as a percentage with one decimal.</summary>
    public static string Percent(double rate) => (rate * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Points(double delta) => (delta * 100).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Signed(double delta) => (delta >= 0 ? "+" : "-") + Points(Math.Abs(delta));
}
