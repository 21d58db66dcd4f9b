using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Reports;

/// <summary>Renders a run into one format.</summary>
public interface IRunReport
{
    /// <summary>The format's name on the command line (console, md, json, junit, html).</summary>
    string Format { get; }

    /// <summary>The file name written into the output folder (null for console).</summary>
    string? FileName { get; }

    /// <summary>Writes the report.</summary>
    Task WriteAsync(Run run, TextWriter writer, CancellationToken cancellationToken);
}
