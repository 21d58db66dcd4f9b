using System.Text.RegularExpressions;

namespace Flywheel.Testing.Fuzz;

/// <summary>What a fuzzed command's ending and console output must never show: a crash, an exit code other than 0, 1 or 2, a stack trace, an internal error, or an exception's name.</summary>
internal static partial class OutputChecks
{
    public static IEnumerable<FuzzProblem> Of(string command, CommandResult result)
    {
        if (result.TimedOut)
        {
            yield return new FuzzProblem("timed out", command, "still running when its time was up");
            yield break;
        }

        if (result.Crash is { } crash)
        {
            yield return new FuzzProblem("crash: " + TraceClass(crash), command, FirstLine(crash));
            yield break;
        }

        var console = result.Stderr + "\n" + result.Stdout;
        if (result.ExitCode is not (0 or 1 or 2))
        {
            yield return new FuzzProblem($"exit {result.ExitCode}: {TraceClass(console)}", command, FirstLine(ExceptionLine(console) ?? result.Stderr));
            yield break;
        }

        if (Frame().IsMatch(console) || console.Contains("Unhandled exception", StringComparison.Ordinal))
        {
            yield return new FuzzProblem("stack trace printed: " + TraceClass(console), command, FirstLine(ExceptionLine(console) ?? console));
        }

        foreach (var line in Lines(result.Stderr).Where(l => l.Contains("FW9999", StringComparison.Ordinal)).Take(1))
        {
            yield return new FuzzProblem("internal error FW9999: " + (ExceptionName().Match(line) is { Success: true } m ? m.Value : "an unexpected exception"), command, line);
        }

        // An exception's name in a diagnostic or a report: something threw and was turned into text (an evaluator's
        // "could not decide: NullReferenceException: …"), which is a bug however politely it is printed.
        foreach (var line in Lines(console).Where(l => !l.Contains("FW9999", StringComparison.Ordinal) && ExceptionName().IsMatch(l)).Take(1))
        {
            var code = Code().Match(line) is { Success: true } c ? c.Value + " " : string.Empty;
            yield return new FuzzProblem($"exception named in output: {code}{ExceptionName().Match(line).Value}", command, Clip(line));
        }

        if (result.ExitCode == 2 && !ErrorLine().IsMatch(result.Stderr))
        {
            yield return new FuzzProblem("exit 2 without an error FWxxxx line", command, FirstLine(result.Stderr));
        }
    }

    /// <summary>A short name for a crash: the exception type and the first Flywheel frame, e.g. "InvalidOperationException at Flywheel.Evals.Datasets.JsonLines.Read".</summary>
    public static string TraceClass(string text)
    {
        var exception = ExceptionName().Match(ExceptionLine(text) ?? text) is { Success: true } e ? e.Value : "no exception named";
        var frame = FlywheelFrame().Match(text) is { Success: true } f ? " at " + f.Groups[1].Value : string.Empty;
        return exception + frame;
    }

    private static string? ExceptionLine(string text) => Lines(text).FirstOrDefault(l => ExceptionName().IsMatch(l));

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string FirstLine(string text) => Clip(Lines(text).FirstOrDefault() ?? "(nothing printed)");

    private static string Clip(string line) => line.Length > 300 ? line[..300] + "…" : line;

    [GeneratedRegex(@"(?m)^\s+at \S+\.\S+\(")]
    private static partial Regex Frame();

    [GeneratedRegex(@"(?m)^\s+at (Flywheel\.[\w.`<>|]+)")]
    private static partial Regex FlywheelFrame();

    [GeneratedRegex(@"\b(?:System\.)?[\w.]*Exception\b")]
    private static partial Regex ExceptionName();

    [GeneratedRegex(@"\bFW[0-9]{4}\b")]
    private static partial Regex Code();

    [GeneratedRegex(@"(?m)^.*: error FW[0-9]{4}: ")]
    private static partial Regex ErrorLine();
}
