using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Files;

namespace Flywheel.Action;

/// <summary>
/// The last line of defence: an exception no command handled becomes one <c>flywheel: error FWxxxx</c> line and exit 2,
/// never a stack trace and exit 134. File-system and git failures are named as such; anything else is a bug
/// (<see cref="DiagnosticCodes.InternalError"/>) whose full trace goes to a file, and to standard error with <c>--verbose</c>.
/// </summary>
internal static class FaultReport
{
    /// <summary>The exit code of every fault: the run has no verdict.</summary>
    public const int ExitCode = 2;

    // Values of variables whose names say they hold a credential are blanked from every line and trace; shorter values
    // would blank ordinary words.
    private const int MinSecretLength = 8;
    private static readonly string[] SecretNameParts = ["KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "AUTH"];

    /// <summary>True when the command line asks for traces on standard error.</summary>
    private static bool IsVerbose(IReadOnlyList<string> args) => args.Contains("--verbose", StringComparer.Ordinal);

    /// <summary>Reports <paramref name="exception"/> on <paramref name="stderr"/> and returns the exit code; never throws.</summary>
    /// <param name="exception">What nobody caught.</param>
    /// <param name="stderr">Where the line goes.</param>
    /// <param name="args">The command line (only the command and option names go into the trace: values may be private).</param>
    public static int Write(Exception exception, TextWriter stderr, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(args);
        var cause = Unwrap(exception);
        var secrets = Secrets();
        var verbose = IsVerbose(args);
        string line;
        string? trace = null;
        switch (cause)
        {
            case IOException or UnauthorizedAccessException:
                line = $"flywheel: error {DiagnosticCodes.FileSystemFailed}: {Scrub(cause.Message, secrets).ReplaceLineEndings(" ")}";
                break;
            case LibGit2Sharp.LibGit2SharpException:
                line = $"flywheel: error {DiagnosticCodes.GitProblem}: git: {Scrub(cause.Message, secrets).ReplaceLineEndings(" ")}";
                break;
            default:
                trace = Scrub(Trace(exception, args), secrets);
                var where = WriteTrace(trace, Path.GetTempPath());
                line = $"flywheel: error {DiagnosticCodes.InternalError}: internal error: {cause.GetType().Name}: {Scrub(cause.Message, secrets).ReplaceLineEndings(" ")}; {where}";
                break;
        }

        try
        {
            stderr.WriteLine(line);
            if (verbose)
            {
                stderr.WriteLine(trace ?? Scrub(exception.ToString(), secrets));
            }

            stderr.Flush();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or UnauthorizedAccessException)
        {
            // Standard error itself is gone: the exit code is all that is left to say it.
        }

        return ExitCode;
    }

    /// <summary>The exception that says what went wrong: aggregates and reflection wrappers of one exception are looked through.</summary>
    private static Exception Unwrap(Exception exception) => exception switch
    {
        AggregateException { InnerExceptions.Count: 1 } aggregate => Unwrap(aggregate.InnerExceptions[0]),
        TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        _ => exception,
    };

    private static string Trace(Exception exception, IReadOnlyList<string> args)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"flywheel {FlywheelCli.Version()}: internal error (a bug in Flywheel; please report it with this file)");
        text.AppendLine(CultureInfo.InvariantCulture, $"time: {DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ}");
        text.AppendLine(CultureInfo.InvariantCulture, $"command: {Command(args)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"runtime: {RuntimeInformation.FrameworkDescription} on {RuntimeInformation.OSDescription} ({RuntimeInformation.ProcessArchitecture})");
        text.AppendLine();
        text.AppendLine(exception.ToString());
        return text.ToString();
    }

    /// <summary>The command and the names of its options; values (paths, expected answers, tags) stay out of the trace.</summary>
    private static string Command(IReadOnlyList<string> args)
    {
        var parts = new List<string>();
        if (args.Count > 0 && !args[0].StartsWith('-'))
        {
            parts.Add(args[0]);
        }

        parts.AddRange(args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).Select(a => a.Split('=')[0]));
        return parts.Count == 0 ? "(none)" : string.Join(' ', parts);
    }

    /// <summary>Writes the trace atomically into a new file readable by its owner only; returns the line's tail saying where it is.</summary>
    private static string WriteTrace(string trace, string directory)
    {
        var path = Path.Combine(directory, $"flywheel-internal-error-{DateTimeOffset.UtcNow:yyyyMMdd'T'HHmmss'Z'}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}.txt");
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                // AtomicFile keeps an existing file's mode: an empty owner-only file first makes the trace owner-only too.
                Directory.CreateDirectory(directory);
                new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }).Dispose();
            }

            AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(trace));
            return $"full trace in {path}";
        }
        catch (Exception ex) when (ex is FlywheelInputException or IOException or UnauthorizedAccessException)
        {
            var reason = ex is FlywheelInputException input ? input.Diagnostics[0].Message : ex.Message;
            return $"the trace could not be written to {path} ({reason.ReplaceLineEndings(" ")}); run again with --verbose to print it";
        }
    }

    private static IReadOnlyList<string> Secrets()
    {
        var values = new List<string>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && entry.Value is string { Length: >= MinSecretLength } value
                && SecretNameParts.Any(part => name.Contains(part, StringComparison.OrdinalIgnoreCase)))
            {
                values.Add(value);
            }
        }

        // Longest first, so a secret that contains another is blanked whole.
        return values.Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length).ToList();
    }

    private static string Scrub(string text, IReadOnlyList<string> secrets)
    {
        foreach (var secret in secrets)
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }
}
