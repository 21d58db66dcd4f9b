using Flywheel.Evals.Diagnostics;
using Microsoft.Build.Utilities;

namespace Flywheel.Build.Tasks.Logging;

/// <summary>Turns engine diagnostics into MSBuild errors and warnings that carry file, line, column and code, so IDEs list them and CI annotates them.</summary>
internal sealed class DiagnosticLog(TaskLoggingHelper log)
{
    /// <summary>Logs every diagnostic; relative paths are resolved against <paramref name="root"/> so the location is clickable from any folder.</summary>
    public void Log(IEnumerable<Diagnostic> diagnostics, string root)
    {
        foreach (var diagnostic in diagnostics)
        {
            Log(diagnostic, root);
        }
    }

    /// <summary>Logs one diagnostic.</summary>
    public void Log(Diagnostic diagnostic, string root)
    {
        // A diagnostic with a line points into a file that exists; one without (a missing file, "git") keeps its text as given.
        var located = diagnostic.Line > 0;
        var file = located ? Path.GetFullPath(diagnostic.Path, root) : diagnostic.Path;
        var line = located ? diagnostic.Line : 0;
        var column = located ? Math.Max(diagnostic.Column, 1) : 0;
        if (diagnostic.Severity == DiagnosticSeverity.Error)
        {
            log.LogError(null, diagnostic.Code, null, file, line, column, 0, 0, "{0}", diagnostic.Message);
        }
        else
        {
            log.LogWarning(null, diagnostic.Code, null, file, line, column, 0, 0, "{0}", diagnostic.Message);
        }
    }

    /// <summary>Logs an error at a place in a file.</summary>
    public void Error(string code, string? file, int line, int column, string message) =>
        log.LogError(null, code, null, file, Math.Max(line, 0), Math.Max(column, 0), 0, 0, "{0}", message);

    /// <summary>Logs a warning at a place in a file.</summary>
    public void Warning(string code, string? file, int line, int column, string message) =>
        log.LogWarning(null, code, null, file, Math.Max(line, 0), Math.Max(column, 0), 0, 0, "{0}", message);
}
