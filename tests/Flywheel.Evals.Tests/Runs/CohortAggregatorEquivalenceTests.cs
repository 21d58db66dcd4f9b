using Flywheel.Evals.Evaluators;
using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Tests.Runs;

/// <summary>The aggregator finds counters by slot rather than by name; its results must be what counting by name gave.</summary>
public sealed class CohortAggregatorEquivalenceTests
{
    [Fact]
    public void Random_rows_aggregate_as_counting_by_name_did()
    {
        var random = new Random(3);
        string[] evaluators = ["answer", "grounded", "tools"];
        string[] scoreNames = ["answer", "grounded", "tools", "judge", "extra", "*"];
        string[] intents = ["pay", "wire", "card", "a=b"];
        for (var trial = 0; trial < 200; trial++)
        {
            string[] keys = random.Next(3) switch { 0 => ["intent", "locale"], 1 => ["locale"], _ => [] };
            var actual = new CohortAggregator(keys, evaluators);
            var expected = new ReferenceCohortAggregator(keys, evaluators);
            for (var r = 0; r < 50; r++)
            {
                var tags = new Dictionary<string, string>();
                if (random.Next(5) > 0)
                {
                    tags["intent"] = intents[random.Next(intents.Length)];
                }

                if (random.Next(3) > 0)
                {
                    tags["locale"] = random.Next(2) == 0 ? "en-US" : "es-ES";
                }

                var scores = Enumerable.Range(0, random.Next(0, 5))
                    .Select(_ => scoreNames[random.Next(scoreNames.Length)])
                    .Select(name => random.Next(3) switch { 0 => Score.Decided(name, 1, true, "ok"), 1 => Score.Decided(name, 0, false, "no"), _ => Score.Failed(name, "x") })
                    .ToList();
                var row = new RunRow
                {
                    Dataset = "d",
                    Id = $"r{r}",
                    Tags = tags,
                    Review = random.Next(10) == 0 ? "pending" : "approved",
                    Passed = random.Next(3) switch { 0 => true, 1 => false, _ => null },
                    Scores = scores,
                };
                actual.Add(row);
                expected.Add(row);
            }

            // Compared as JSON: a result's interval is an array, which record equality compares by reference.
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(expected.Results()), System.Text.Json.JsonSerializer.Serialize(actual.Results()));
        }
    }
}

// CohortAggregator as it was before counters were found by slot (652798f), kept as the reference.
    internal sealed class ReferenceCohortAggregator
    {
        private readonly IReadOnlyList<string> _keys;
        private readonly IReadOnlyList<string> _evaluators;
        private readonly Dictionary<(string Cohort, string Evaluator), Counter> _counters = [];
        private readonly Dictionary<(string Key, string Value), string> _names = [];

        // Creates an aggregator over the given tag keys and evaluators.
        public ReferenceCohortAggregator(IReadOnlyList<string> cohortKeys, IReadOnlyList<string> evaluators)
        {
            _keys = cohortKeys;
            _evaluators = evaluators;
        }

        // Adds one row; rows that do not gate (pending review, nothing scored) are not counted.
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

        // The aggregates: <c>*</c> first, then by key (in cohort-key order) and value; evaluator <c>*</c> first.
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
