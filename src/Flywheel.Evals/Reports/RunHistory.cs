using System.Globalization;
using Flywheel.Evals.Diagnostics;

namespace Flywheel.Evals.Reports;

/// <summary>Earlier runs (e.g. one run.json per release) read from a folder, oldest first: the HTML report's trend.</summary>
public sealed class RunHistory
{
    private RunHistory(IReadOnlyList<RunHistoryEntry> runs)
    {
        Runs = runs;
    }

    /// <summary>The runs, ordered by when they started (then by file name).</summary>
    public IReadOnlyList<RunHistoryEntry> Runs { get; }

    /// <summary>History from runs already read (for tests and callers that hold them).</summary>
    public static RunHistory Of(IEnumerable<RunHistoryEntry> runs) => new(Order(runs));

    /// <summary>Reads every <c>*.json</c> file of a folder (not its subfolders) as a run; only cohorts, gates and provenance are kept.</summary>
    /// <param name="directory">The folder.</param>
    /// <param name="display">The folder as named in messages.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="FlywheelInputException">The folder is missing or holds no run, or a file in it is not a readable run (every bad file is named).</exception>
    public static async Task<RunHistory> LoadAsync(string directory, string display, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            throw new FlywheelInputException(new Diagnostic(display, 0, 0, DiagnosticCodes.BadHistory, "history folder does not exist"));
        }

        var files = Directory.GetFiles(directory, "*.json", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new FlywheelInputException(new Diagnostic(display, 0, 0, DiagnosticCodes.BadHistory, "history folder holds no run (*.json) file"));
        }

        var runs = new List<RunHistoryEntry>();
        var problems = new List<Diagnostic>();
        foreach (var file in files)
        {
            var shown = Path.Combine(display, Path.GetFileName(file));
            try
            {
                var (run, count) = await RunFileReader.ReadAsync(file, shown, keepNotPassing: false, cancellationToken).ConfigureAwait(false);
                runs.Add(new RunHistoryEntry(Path.GetFileNameWithoutExtension(file), shown, run, count));
            }
            catch (FlywheelInputException ex)
            {
                problems.AddRange(ex.Diagnostics.Select(d => d with { Code = DiagnosticCodes.BadHistory, Message = $"history run: {d.Message}" }));
            }
        }

        if (problems.Count > 0)
        {
            throw new FlywheelInputException(problems);
        }

        return new RunHistory(Order(runs));
    }

    private static List<RunHistoryEntry> Order(IEnumerable<RunHistoryEntry> runs) =>
        runs.OrderBy(r => DateTimeOffset.TryParse(r.Run.StartedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : DateTimeOffset.MaxValue)
            .ThenBy(r => r.Label, StringComparer.Ordinal)
            .ToList();
}
