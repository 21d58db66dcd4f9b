namespace Flywheel.Evals.Runs;

/// <summary>Counts rows and passes per cohort and evaluator as rows stream by; memory grows with cohorts, not rows.</summary>
public sealed class CohortAggregator
{
    private readonly IReadOnlyList<string> _keys;
    private readonly IReadOnlyList<string> _evaluators;
    private readonly Dictionary<(string Cohort, string Evaluator), Counter> _counters = [];
    private readonly Dictionary<(string Key, string Value), string> _names = [];

    /// <summary>Creates an aggregator over the given tag keys and evaluators.</summary>
    public CohortAggregator(IReadOnlyList<string> cohortKeys, IReadOnlyList<string> evaluators)
    {
        _keys = cohortKeys;
        _evaluators = evaluators;
    }

    /// <summary>Adds one row; rows that do not gate (pending review, nothing scored) are not counted.</summary>
    public void Add(RunRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (!row.Gates)
        {
            return;
        }

        AddTo("*", row);
        foreach (var key in _keys)
        {
            if (row.Tags.TryGetValue(key, out var value))
            {
                if (!_names.TryGetValue((key, value), out var name))
                {
                    // Cohorts are few and rows many: build each cohort's name once.
                    name = $"{key}={value}";
                    _names[(key, value)] = name;
                }

                AddTo(name, row);
            }
        }
    }

    /// <summary>The aggregates: <c>*</c> first, then by key (in cohort-key order) and value; evaluator <c>*</c> first.</summary>
    public IReadOnlyList<CohortResult> Results()
    {
        var keyOrder = _keys.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => x.i, StringComparer.Ordinal);
        var evaluatorOrder = new[] { "*" }.Concat(_evaluators).Select((e, i) => (e, i)).ToDictionary(x => x.e, x => x.i, StringComparer.Ordinal);
        return _counters
            .OrderBy(kv => kv.Key.Cohort == "*" ? -1 : keyOrder.GetValueOrDefault(KeyOf(kv.Key.Cohort), int.MaxValue))
            .ThenBy(kv => kv.Key.Cohort, StringComparer.Ordinal)
            .ThenBy(kv => evaluatorOrder.GetValueOrDefault(kv.Key.Evaluator, int.MaxValue))
            .Select(kv => new CohortResult
            {
                Cohort = kv.Key.Cohort,
                Evaluator = kv.Key.Evaluator,
                Rows = kv.Value.Rows,
                Passed = kv.Value.Passed,
                Errors = kv.Value.Errors,
                PassRate = kv.Value.Rows == 0 ? null : Math.Round((double)kv.Value.Passed / kv.Value.Rows, 6),
                Ci95 = WilsonInterval.Of(kv.Value.Passed, kv.Value.Rows),
            })
            .ToList();
    }

    private static string KeyOf(string cohort)
    {
        var equals = cohort.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? cohort : cohort[..equals];
    }

    private void AddTo(string cohort, RunRow row)
    {
        Count(cohort, "*", row.Passed == true, row.Passed is null);
        foreach (var score in row.Scores)
        {
            Count(cohort, score.Evaluator, score.Passed == true, score.Passed is null);
        }
    }

    private void Count(string cohort, string evaluator, bool passed, bool error)
    {
        if (!_counters.TryGetValue((cohort, evaluator), out var counter))
        {
            counter = new Counter();
            _counters[(cohort, evaluator)] = counter;
        }

        counter.Rows++;
        if (passed)
        {
            counter.Passed++;
        }

        if (error)
        {
            counter.Errors++;
        }
    }

    private sealed class Counter
    {
        public int Rows { get; set; }
        public int Passed { get; set; }
        public int Errors { get; set; }
    }
}
