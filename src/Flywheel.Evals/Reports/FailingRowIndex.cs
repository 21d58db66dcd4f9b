using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Reports;

/// <summary>
/// The gating rows that did not pass, grouped by tag once, so that the first failing rows of thousands of failed
/// gates cost one pass over the rows instead of one per gate. Answers as <see cref="ReportText.FailingRows"/> does.
/// </summary>
internal sealed class FailingRowIndex
{
    private readonly List<RunRow> _all;
    private readonly Dictionary<(string Key, string Value), List<RunRow>> _byTag = [];

    public FailingRowIndex(Run run)
    {
        _all = run.Rows.NotPassing.Where(r => r.Gates).ToList();
        foreach (var row in _all)
        {
            foreach (var (key, value) in row.Tags)
            {
                if (!_byTag.TryGetValue((key, value), out var rows))
                {
                    _byTag[(key, value)] = rows = [];
                }

                rows.Add(row);
            }
        }
    }

    /// <summary>The first <paramref name="max"/> rows of the gate's cohort that fail its evaluator, in row order.</summary>
    public IReadOnlyList<RunRow> First(GateResult gate, int max)
    {
        var cohort = ReportText.CohortTag(gate.Cohort);
        var members = cohort.All ? _all : _byTag.GetValueOrDefault((cohort.Key, cohort.Value)) ?? [];
        return members.Where(r => ReportText.FailsOn(r, gate.Evaluator)).Take(max).ToList();
    }
}
