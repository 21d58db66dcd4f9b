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
    public static async Task<Baseline> LoadAsync(string path, string display, IReadOnlyList<string> cohortKeys, IReadOnlyList<string> evaluators, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FlywheelInputException(new Diagnostic(display, 0, 0, DiagnosticCodes.BadBaseline, "baseline run file does not exist"));
        }

        await using var stream = File.OpenRead(path);
        return await LoadAsync(stream, display, cohortKeys, evaluators, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A baseline from a run computed in this process (for --baseline-ref).</summary>
    public static Baseline FromRun(Run run, string display, IReadOnlyList<string> cohortKeys, IReadOnlyList<string> evaluators)
    {
        ArgumentNullException.ThrowIfNull(run);
        return FromRows(run.Rows, display, cohortKeys, evaluators);
    }

    private static Baseline FromRows(IEnumerable<RunRow> rows, string display, IReadOnlyList<string> cohortKeys, IReadOnlyList<string> evaluators)
    {
        var aggregator = new CohortAggregator(cohortKeys, evaluators);
        var outcomes = new Dictionary<(string, string), BaselineRow>();
        foreach (var row in rows)
        {
            aggregator.Add(row);
            outcomes[(row.Dataset, row.Id)] = new BaselineRow(
                row.Gates ? row.Passed : null,
                row.Scores.Where(s => s.Passed == true).Select(s => s.Evaluator).ToHashSet(StringComparer.Ordinal));
        }

        return new Baseline(display, aggregator.Results(), outcomes);
    }

    private static IEnumerable<RunRow> ReadRows(JsonElement rows, string display)
    {
        foreach (var element in rows.EnumerateArray())
        {
            RunRow row;
            try
            {
                row = element.Deserialize<RunRow>(FlywheelJson.Options)!;
            }
            catch (JsonException ex)
            {
                throw new FlywheelInputException(new Diagnostic(display, 1, 1, DiagnosticCodes.BadBaseline, $"baseline row is malformed: {JsonErrors.Describe(ex)}"));
            }

            yield return row;
        }
    }

    /// <summary>Reads a run.json stream as a baseline.</summary>
    public static async Task<Baseline> LoadAsync(Stream stream, string display, IReadOnlyList<string> cohortKeys, IReadOnlyList<string> evaluators, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new FlywheelInputException(new Diagnostic(display, (int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1, DiagnosticCodes.BadBaseline, $"baseline is not valid JSON: {JsonErrors.Describe(ex)}"));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("schema", out var schema) || schema.GetString() != "flywheel.run/v1" ||
                !root.TryGetProperty("rows", out var rows) || rows.ValueKind != JsonValueKind.Array)
            {
                throw new FlywheelInputException(new Diagnostic(display, 1, 1, DiagnosticCodes.BadBaseline, "baseline is not a Flywheel run (expected \"schema\": \"flywheel.run/v1\" and a \"rows\" array)"));
            }

            return FromRows(ReadRows(rows, display), display, cohortKeys, evaluators);
        }
    }
}
