namespace Flywheel.Evals.Runs;

/// <summary>Counts rows and passes per cohort and evaluator as rows stream by; memory grows with cohorts, not rows.</summary>
public sealed class CohortAggregator
{
    private readonly IReadOnlyList<string> _keys;
    private readonly IReadOnlyList<string> _evaluators;

    // Cohorts by name, in the order they were first counted; per tag key, the cohort of each value seen.
    private readonly Dictionary<string, Cohort> _cohorts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Cohort>[] _byValue;
    private readonly Cohort _all;

    /// <summary>Creates an aggregator over the given tag keys and evaluators.</summary>
    public CohortAggregator(IReadOnlyList<string> cohortKeys, IReadOnlyList<string> evaluators)
    {
        _keys = cohortKeys;
        _evaluators = evaluators;
        _byValue = new Dictionary<string, Cohort>[cohortKeys.Count];
        for (var k = 0; k < _byValue.Length; k++)
        {
            _byValue[k] = new Dictionary<string, Cohort>(StringComparer.Ordinal);
        }

        _all = CohortNamed("*");
    }

    /// <summary>Adds one row; rows that do not gate (pending review, nothing scored) are not counted.</summary>
    public void Add(RunRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (!row.Gates)
        {
            return;
        }

        // Rows are many and cohorts and evaluators few: counters are found through per-key tables and evaluator
        // positions, not by hashing cohort and evaluator names for every count.
        Span<int> evaluatorSlots = row.Scores.Count <= 32 ? stackalloc int[row.Scores.Count] : new int[row.Scores.Count];
        for (var s = 0; s < row.Scores.Count; s++)
        {
            evaluatorSlots[s] = SlotOf(row.Scores[s].Evaluator);
        }

        AddTo(_all, row, evaluatorSlots);
        for (var k = 0; k < _keys.Count; k++)
        {
            if (row.Tags.TryGetValue(_keys[k], out var value))
            {
                if (!_byValue[k].TryGetValue(value, out var cohort))
                {
                    cohort = CohortNamed($"{_keys[k]}={value}");
                    _byValue[k][value] = cohort;
                }

                AddTo(cohort, row, evaluatorSlots);
            }
        }
    }

    /// <summary>The aggregates: <c>*</c> first, then by key (in cohort-key order) and value; evaluator <c>*</c> first.</summary>
    public IReadOnlyList<CohortResult> Results()
    {
        var keyOrder = _keys.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => x.i, StringComparer.Ordinal);
        var evaluatorOrder = new[] { "*" }.Concat(_evaluators).Select((e, i) => (e, i)).ToDictionary(x => x.e, x => x.i, StringComparer.Ordinal);
        return Counters()
            .OrderBy(kv => kv.Cohort == "*" ? -1 : keyOrder.GetValueOrDefault(KeyOf(kv.Cohort), int.MaxValue))
            .ThenBy(kv => kv.Cohort, StringComparer.Ordinal)
            .ThenBy(kv => evaluatorOrder.GetValueOrDefault(kv.Evaluator, int.MaxValue))
            .Select(kv => new CohortResult
            {
                Cohort = kv.Cohort,
                Evaluator = kv.Evaluator,
                Rows = kv.Counter.Rows,
                Passed = kv.Counter.Passed,
                Errors = kv.Counter.Errors,
                PassRate = kv.Counter.Rows == 0 ? null : Math.Round((double)kv.Counter.Passed / kv.Counter.Rows, 6),
                Ci95 = WilsonInterval.Of(kv.Counter.Passed, kv.Counter.Rows),
            })
            .ToList();
    }

    // Every counter with its cohort and evaluator; evaluators outside the list keep the order they were first counted in,
    // the only order the sort above leaves to its input.
    private IEnumerable<(string Cohort, string Evaluator, Counter Counter)> Counters()
    {
        foreach (var cohort in _cohorts.Values)
        {
            for (var slot = 0; slot < cohort.Known.Length; slot++)
            {
                if (cohort.Known[slot] is { } counter)
                {
                    yield return (cohort.Name, slot == 0 ? "*" : _evaluators[slot - 1], counter);
                }
            }

            foreach (var (evaluator, counter) in cohort.Other)
            {
                yield return (cohort.Name, evaluator, counter);
            }
        }
    }

    private static string KeyOf(string cohort)
    {
        var equals = cohort.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? cohort : cohort[..equals];
    }

    private Cohort CohortNamed(string name)
    {
        // Two keys can name one cohort only through an '=' in a key; they share its counters, as they always did.
        if (!_cohorts.TryGetValue(name, out var cohort))
        {
            cohort = new Cohort(name, _evaluators.Count + 1);
            _cohorts[name] = cohort;
        }

        return cohort;
    }

    // 0 for the row as a whole ("*"), 1 + the first position of the evaluator in the list, or -1 for one not in it.
    private int SlotOf(string evaluator)
    {
        if (evaluator == "*")
        {
            return 0;
        }

        for (var e = 0; e < _evaluators.Count; e++)
        {
            if (ReferenceEquals(_evaluators[e], evaluator) || _evaluators[e] == evaluator)
            {
                return e + 1;
            }
        }

        return -1;
    }

    private static void AddTo(Cohort cohort, RunRow row, ReadOnlySpan<int> evaluatorSlots)
    {
        Count(cohort.Known[0] ??= new Counter(), row.Passed == true, row.Passed is null);
        for (var s = 0; s < evaluatorSlots.Length; s++)
        {
            var score = row.Scores[s];
            var slot = evaluatorSlots[s];
            Counter? counter;
            if (slot >= 0)
            {
                counter = cohort.Known[slot] ??= new Counter();
            }
            else
            {
                counter = cohort.Other.FirstOrDefault(o => o.Evaluator == score.Evaluator).Counter;
                if (counter is null)
                {
                    counter = new Counter();
                    cohort.Other.Add((score.Evaluator, counter));
                }
            }

            Count(counter, score.Passed == true, score.Passed is null);
        }
    }

    private static void Count(Counter counter, bool passed, bool error)
    {
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

    private sealed class Cohort(string name, int slots)
    {
        public string Name { get; } = name;

        // Indexed by evaluator slot; null until the cohort counts a row for that evaluator.
        public Counter?[] Known { get; } = new Counter?[slots];

        public List<(string Evaluator, Counter Counter)> Other { get; } = [];
    }

    private sealed class Counter
    {
        public int Rows { get; set; }
        public int Passed { get; set; }
        public int Errors { get; set; }
    }
}
