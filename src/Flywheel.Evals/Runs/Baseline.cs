using System.Text.Json;
using Flywheel.Evals.Diagnostics;

namespace Flywheel.Evals.Runs;

/// <summary>The run of the base branch: its cohort pass rates (recomputed with this run's cohort keys) and which rows passed.</summary>
public sealed class Baseline
{
    private readonly Dictionary<(string Dataset, string Id), BaselineRow> _rows;

    private Baseline(string display, IReadOnlyList<CohortResult> cohorts, Dictionary<(string, string), BaselineRow> rows)
    {
        Display = display;
        Cohorts = cohorts;
        _rows = rows;
    }

    /// <summary>The baseline file as shown in reports.</summary>
    public string Display { get; }

    /// <summary>The baseline's aggregates over this run's cohort keys and evaluators.</summary>
    public IReadOnlyList<CohortResult> Cohorts { get; }

    /// <summary>How many rows the baseline has.</summary>
    public int RowCount => _rows.Count;

    /// <summary>The baseline outcome of a row, when the baseline has it.</summary>
    public bool TryGetRow(string dataset, string id, out BaselineRow row) => _rows.TryGetValue((dataset, id), out row!);

    /// <summary>True when the baseline has the row.</summary>
    public bool Contains(string dataset, string id) => _rows.ContainsKey((dataset, id));

    /// <summary>The keys of every baseline row.</summary>
    public IEnumerable<(string Dataset, string Id)> Keys => _rows.Keys;

    /// <summary>Reads a run.json as a baseline.</summary>
    /// <exception cref="FlywheelInputException">The file is missing or not a Flywheel run.</exception>
    public static Task<Baseline> LoadAsync(string path, string display, IReadOnlyList<string> cohortKeys, IReadOnlyList<string> evaluators, CancellationToken cancellationToken) =>
        LoadAsync(path, display, cohortKeys, evaluators, keepCohorts: false, cancellationToken);

    /// <summary>Reads a run.json as a baseline; <paramref name="keepCohorts"/> keeps each row's cohorts (<see cref="BaselineRow.Cohorts"/>) for <c>max_rows_removed</c>.</summary>
    /// <exception cref="FlywheelInputException">The file is missing or not a Flywheel run.</exception>
    public static async Task<Baseline> LoadAsync(string path, string display, IReadOnlyList<string> cohortKeys, IReadOnlyList<string> evaluators, bool keepCohorts, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FlywheelInputException(new Diagnostic(display, 0, 0, DiagnosticCodes.BadBaseline, "baseline run file does not exist"));
        }

        await using var stream = File.OpenRead(path);
        return await LoadAsync(stream, display, cohortKeys, evaluators, keepCohorts, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A baseline from a run computed in this process (for --baseline-ref); <paramref name="keepCohorts"/> as for a file.</summary>
    public static Baseline FromRun(Run run, string display, IReadOnlyList<string> cohortKeys, IReadOnlyList<string> evaluators, bool keepCohorts = false)
    {
        ArgumentNullException.ThrowIfNull(run);
        var builder = new Builder(cohortKeys, evaluators, keepCohorts);
        foreach (var row in run.Rows)
        {
            builder.Add(row);
        }

        return builder.Build(display);
    }

    /// <summary>Reads a run.json stream as a baseline.</summary>
    /// <remarks>
    /// The file is scanned, never held whole: each row is deserialized, counted into the cohorts and dropped, so a
    /// 100,000-row baseline costs what its cohorts and row outcomes cost, not a document of ~90 MB.
    /// </remarks>
    public static Task<Baseline> LoadAsync(Stream stream, string display, IReadOnlyList<string> cohortKeys, IReadOnlyList<string> evaluators, CancellationToken cancellationToken) =>
        LoadAsync(stream, display, cohortKeys, evaluators, keepCohorts: false, cancellationToken);

    /// <summary>Reads a run.json stream as a baseline; <paramref name="keepCohorts"/> keeps each row's cohorts for <c>max_rows_removed</c>.</summary>
    public static async Task<Baseline> LoadAsync(Stream stream, string display, IReadOnlyList<string> cohortKeys, IReadOnlyList<string> evaluators, bool keepCohorts, CancellationToken cancellationToken)
    {
        var builder = new Builder(cohortKeys, evaluators, keepCohorts);
        string? schema = null;
        var schemaLine = 1;
        using var scanner = new Reports.RunJsonScanner(stream);
        try
        {
            while (await scanner.NextAsync(cancellationToken).ConfigureAwait(false))
            {
                if (scanner.Kind == Reports.RunJsonItem.Property)
                {
                    if (scanner.Name == "schema")
                    {
                        schema = Reports.RunFileReader.ReadString(scanner.Value.Span);
                        schemaLine = scanner.Line;
                    }

                    continue;
                }

                builder.Add(Reports.RunFileReader.DeserializeRow(scanner.Value.Span, scanner.Line, display, "baseline row"));
                if ((builder.Count & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
        }
        catch (JsonException ex)
        {
            throw new FlywheelInputException(new Diagnostic(display, (int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1, DiagnosticCodes.BadBaseline, $"baseline is not valid JSON: {JsonErrors.Describe(ex)}"));
        }

        if (schema != "flywheel.run/v1" || !scanner.SawRows)
        {
            throw new FlywheelInputException(new Diagnostic(display, schemaLine, 1, DiagnosticCodes.BadBaseline, "baseline is not a Flywheel run (expected \"schema\": \"flywheel.run/v1\" and a \"rows\" array)"));
        }

        return builder.Build(display);
    }

    /// <summary>Counts rows into the cohorts and keeps each row's outcome, whether the rows come from memory or a file.</summary>
    private sealed class Builder(IReadOnlyList<string> cohortKeys, IReadOnlyList<string> evaluators, bool keepCohorts)
    {
        private readonly CohortAggregator _aggregator = new(cohortKeys, evaluators);
        private readonly Dictionary<(string, string), BaselineRow> _outcomes = [];

        // Rows share a handful of outcomes (passed or not, which evaluators passed): one instance each keeps a
        // 100,000-row baseline from holding 100,000 sets.
        private readonly Dictionary<string, BaselineRow> _shared = new(StringComparer.Ordinal);

        public int Count => _outcomes.Count;

        public void Add(RunRow row)
        {
            _aggregator.Add(row);
            _outcomes[(row.Dataset, row.Id)] = Outcome(row);
        }

        public Baseline Build(string display) => new(display, _aggregator.Results(), _outcomes);

        private BaselineRow Outcome(RunRow row)
        {
            var passed = row.Gates ? row.Passed : null;
            var names = row.Scores.Where(s => s.Passed == true).Select(s => s.Evaluator).Order(StringComparer.Ordinal).ToList();
            var key = $"{passed}\u001f{string.Join('\u001f', names)}";
            if (!_shared.TryGetValue(key, out var outcome))
            {
                outcome = new BaselineRow(passed, names.ToHashSet(StringComparer.Ordinal));
                _shared[key] = outcome;
            }

            if (!keepCohorts)
            {
                return outcome;
            }

            // For max_rows_removed, each outcome is shared per combination of cohort tags too (its evaluator set still
            // once per outcome); the cohorts' list is built only for a combination not seen yet.
            var tagged = new System.Text.StringBuilder(key).Append('\u001e');
            foreach (var tagKey in cohortKeys)
            {
                tagged.Append(row.Tags.TryGetValue(tagKey, out var value) ? value : "\u0000").Append('\u001f');
            }

            var taggedKey = tagged.ToString();
            if (!_shared.TryGetValue(taggedKey, out var withCohorts))
            {
                withCohorts = outcome with { Cohorts = cohortKeys.Where(row.Tags.ContainsKey).Select(k => $"{k}={row.Tags[k]}").ToList() };
                _shared[taggedKey] = withCohorts;
            }

            return withCohorts;
        }
    }
}
