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
    /// <param name="removedRows">How many baseline rows this run lacks per baseline cohort (<see cref="RunComparison.RemovedPerCohort"/>); null when not counted (no baseline, or no gate sets max_rows_removed).</param>
    public static IReadOnlyList<GateResult> Evaluate(IReadOnlyList<GateConfig> gates, IReadOnlyList<CohortResult> cohorts, bool hasBaseline, IReadOnlyDictionary<string, int>? removedRows = null)
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

            foreach (var cohort in Expand(selector, gate, cohorts, removedRows))
            {
                results.Add(Judge(gate, cohort, hasBaseline, removedRows));
            }
        }

        return results;
    }

    private static IEnumerable<CohortResult> Expand(CohortSelector selector, GateConfig gate, IReadOnlyList<CohortResult> cohorts, IReadOnlyDictionary<string, int>? removedRows)
    {
        var evaluator = gate.Evaluator;
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

        if (gate.MaxRowsRemoved is not null && removedRows is not null)
        {
            // A cohort whose every row was removed is gone from this run; a gate that limits removals still holds it.
            foreach (var name in removedRows.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                if (!cohorts.Any(c => c.Evaluator == evaluator && c.Cohort == name))
                {
                    any = true;
                    yield return new CohortResult { Cohort = name, Evaluator = evaluator };
                }
            }
        }

        if (!any)
        {
            // No row carries the key: report it rather than let the gate pass by having nothing to check.
            yield return new CohortResult { Cohort = selector.ToString(), Evaluator = evaluator };
        }
    }

    /// <summary>One gate held against one cohort's aggregate (also how a run file's gate outcomes are checked when read back).</summary>
    internal static GateResult Judge(GateConfig gate, CohortResult cohort, bool hasBaseline, IReadOnlyDictionary<string, int>? removedRows)
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
            MaxRowsRemoved = gate.MaxRowsRemoved,
            RowsRemoved = gate.MaxRowsRemoved is null ? null : removedRows?.GetValueOrDefault(cohort.Cohort),
            BaselinePassRate = cohort.BaselinePassRate,
            Message = string.Empty,
        };

        // Removals are counted before the rows that are left: removing a cohort's rows must not read as "too few rows to judge".
        var removalNote = (string?)null;
        if (gate.MaxRowsRemoved is { } maxRemoved)
        {
            if (result.RowsRemoved is not { } removed)
            {
                removalNote = hasBaseline ? "max_rows_removed not checked: removals were not counted" : "max_rows_removed not checked: no baseline";
            }
            else if (removed > maxRemoved)
            {
                return result with
                {
                    Status = GateStatuses.Failed,
                    Blocking = true,
                    Message = $"{label}: {removed} row(s) of the baseline are gone (removed), more than the allowed {maxRemoved}",
                };
            }
            else
            {
                removalNote = $"{removed} row(s) of the baseline removed, within {maxRemoved}";
            }

            if (gate.MinPassRate is null && gate.MaxDrop is null)
            {
                // A gate on removals alone needs no rows left to judge a pass rate.
                return result with { Status = result.RowsRemoved is null ? GateStatuses.Skipped : GateStatuses.Passed, Message = $"{label}: {removalNote}" };
            }
        }

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
        if (removalNote is not null)
        {
            notes.Add(removalNote);
        }

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
