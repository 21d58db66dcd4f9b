using System.Globalization;

namespace Flywheel.Action.GitHub;

/// <summary>
/// The annotations of one step. GitHub shows 10 errors and 10 warnings per step (50 per job) and drops the rest, so only
/// the first ten of each kind, in the order added (or important ones first), become annotations; the others are listed
/// in the log, and one notice says how many there are and where they are.
/// </summary>
internal sealed class AnnotationBudget
{
    /// <summary>How many annotations of one kind GitHub shows for a step.</summary>
    public const int PerStep = 10;

    /// <summary>The log heading above the annotations that did not fit.</summary>
    public const string OverflowHeading = "Flywheel annotations GitHub would not show:";

    private readonly List<Entry> _errors = [];
    private readonly List<Entry> _warnings = [];

    /// <summary>How many errors were added.</summary>
    public int Errors => _errors.Count;

    /// <summary>How many warnings were added.</summary>
    public int Warnings => _warnings.Count;

    /// <summary>Adds an error annotation; <paramref name="important"/> ones go before all others.</summary>
    public void Error(string message, string? file = null, int? line = null, int? column = null, string? title = null, bool important = false) =>
        Add(_errors, new Entry("error", message, file, line, column, title), important);

    /// <summary>Adds a warning annotation; <paramref name="important"/> ones go before all others.</summary>
    public void Warning(string message, string? file = null, int? line = null, int? column = null, string? title = null, bool important = false) =>
        Add(_warnings, new Entry("warning", message, file, line, column, title), important);

    /// <summary>Writes the annotations that fit, then the rest as plain log lines (workflow commands stopped, since messages quote rows) and one notice saying where they are.</summary>
    /// <param name="stdout">The step's log.</param>
    /// <param name="alsoIn">Where else every gate and regression can be read (e.g. "run.json in the workflow artifact 'flywheel-…'"), or null.</param>
    public async Task WriteAsync(TextWriter stdout, string? alsoIn)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        foreach (var entry in _errors.Take(PerStep).Concat(_warnings.Take(PerStep)))
        {
            await stdout.WriteLineAsync(entry.Command()).ConfigureAwait(false);
        }

        var errors = Math.Max(0, _errors.Count - PerStep);
        var warnings = Math.Max(0, _warnings.Count - PerStep);
        if (errors + warnings == 0)
        {
            return;
        }

        var resume = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        await stdout.WriteLineAsync(OverflowHeading).ConfigureAwait(false);
        await stdout.WriteLineAsync(WorkflowCommands.StopCommands(resume)).ConfigureAwait(false);
        foreach (var entry in _errors.Skip(PerStep).Concat(_warnings.Skip(PerStep)))
        {
            await stdout.WriteLineAsync(entry.LogLine()).ConfigureAwait(false);
        }

        await stdout.WriteLineAsync(WorkflowCommands.ResumeCommands(resume)).ConfigureAwait(false);
        var counts = string.Join(" and ", new[] { (errors, "error"), (warnings, "warning") }.Where(c => c.Item1 > 0)
            .Select(c => $"{c.Item1.ToString(CultureInfo.InvariantCulture)} more {c.Item2}{(c.Item1 == 1 ? string.Empty : "s")}"));
        var where = $"listed in this step's log under \"{OverflowHeading.TrimEnd(':')}\"{(alsoIn is null ? string.Empty : $"; every gate and regression is also in {alsoIn}")}";
        await stdout.WriteLineAsync(WorkflowCommands.Notice(
            $"{counts} than GitHub shows ({PerStep.ToString(CultureInfo.InvariantCulture)} of each per step): {where}.",
            "Flywheel: more annotations")).ConfigureAwait(false);
    }

    private static void Add(List<Entry> entries, Entry entry, bool important)
    {
        if (important)
        {
            entries.Insert(entries.Count(e => e.Important), entry with { Important = true });
        }
        else
        {
            entries.Add(entry);
        }
    }

    private sealed record Entry(string Kind, string Message, string? File, int? Line, int? Column, string? Title)
    {
        public bool Important { get; init; }

        public string Command() => Kind == "error"
            ? WorkflowCommands.Error(Message, File, Line, Column, Title)
            : WorkflowCommands.Warning(Message, File, Line, Column, Title);

        public string LogLine()
        {
            var where = File is null ? string.Empty : Line is > 0 ? $"{File}({Line.Value.ToString(CultureInfo.InvariantCulture)}): " : $"{File}: ";
            return $"{where}{Kind}: {(Title is null ? string.Empty : Title + ": ")}{Message}".ReplaceLineEndings(" ");
        }
    }
}
