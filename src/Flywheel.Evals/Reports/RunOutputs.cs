using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Files;
using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Reports;

/// <summary>The one writer of a run's files: run.json and each report format's file, every one through <see cref="AtomicFile"/>.</summary>
/// <remarks>
/// Used by <c>flywheel gate</c>, <c>flywheel github</c>, the MSBuild gate and the xunit suite, so every surface leaves
/// the same files. run.json is written last: a run.json is never newer than the reports beside it, since a report
/// that cannot be written stops the writing before run.json is replaced.
/// </remarks>
public static class RunOutputs
{
    /// <summary>The run's own file in an output folder.</summary>
    public const string RunFileName = "run.json";

    /// <summary>Writes each format's file (formats without one, such as console, are skipped) and then run.json into <paramref name="directory"/>.</summary>
    /// <returns>The files written, run.json last.</returns>
    /// <exception cref="FlywheelInputException">A file cannot be written (<see cref="DiagnosticCodes.CannotWrite"/>); the previous one is left whole.</exception>
    public static async Task<IReadOnlyList<string>> WriteAsync(Run run, string directory, IEnumerable<IRunReport> formats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(formats);
        var written = new List<string>();
        foreach (var report in formats)
        {
            if (report.FileName is not { } fileName || report is RunJson)
            {
                continue;
            }

            var path = Path.Combine(directory, fileName);
            await WriteReportAsync(report, run, path, cancellationToken).ConfigureAwait(false);
            written.Add(path);
        }

        var runPath = Path.Combine(directory, RunFileName);
        await RunJson.WriteFileAsync(run, runPath, cancellationToken).ConfigureAwait(false);
        written.Add(runPath);
        return written;
    }

    /// <summary>Writes one report of a run to <paramref name="path"/> atomically (<c>flywheel report --out</c>).</summary>
    /// <exception cref="FlywheelInputException">The file cannot be written; the previous one is left whole.</exception>
    public static Task WriteReportAsync(IRunReport report, Run run, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report is RunJson
            ? RunJson.WriteFileAsync(run, path, cancellationToken)
            : AtomicFile.WriteTextAsync(path, (writer, ct) => report.WriteAsync(run, writer, ct), cancellationToken);
    }
}
