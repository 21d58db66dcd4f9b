using System.Text;
using Flywheel.Evals.Reports;

namespace Flywheel.Action.GitHub;

/// <summary>Formats GitHub Actions workflow commands (<c>::error file=…,line=…::message</c>, <c>::add-mask::</c>) with the runner's escaping rules (those of @actions/core: <c>%</c>, CR and LF in every value, plus <c>:</c> and <c>,</c> in properties).</summary>
internal static class WorkflowCommands
{
    /// <summary>An error annotation, optionally pointing at a file and line.</summary>
    public static string Error(string message, string? file = null, int? line = null, int? column = null, string? title = null) =>
        Command("error", message, file, line, column, title);

    /// <summary>A warning annotation, optionally pointing at a file and line.</summary>
    public static string Warning(string message, string? file = null, int? line = null, int? column = null, string? title = null) =>
        Command("warning", message, file, line, column, title);

    /// <summary>A notice annotation.</summary>
    public static string Notice(string message, string? title = null) => Command("notice", message, null, null, null, title);

    /// <summary>Tells the runner to replace <paramref name="secret"/> with *** in every later log line.</summary>
    public static string AddMask(string secret) => "::add-mask::" + EscapeData(secret);

    /// <summary>Stops the runner from reading workflow commands until <see cref="ResumeCommands"/> with the same token.</summary>
    public static string StopCommands(string token) => "::stop-commands::" + token;

    /// <summary>Resumes reading workflow commands after <see cref="StopCommands"/>.</summary>
    public static string ResumeCommands(string token) => $"::{token}::";

    /// <summary>Escapes a command's message: the runner decodes %25, %0D and %0A.</summary>
    public static string EscapeData(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Replace("%", "%25", StringComparison.Ordinal)
            .Replace("\r", "%0D", StringComparison.Ordinal)
            .Replace("\n", "%0A", StringComparison.Ordinal);
    }

    /// <summary>Escapes a property value: as the message, plus <c>:</c> and <c>,</c>, which would end the value.</summary>
    public static string EscapeProperty(string value) =>
        EscapeData(value).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);

    private static string Command(string name, string message, string? file, int? line, int? column, string? title)
    {
        var properties = new List<string>();
        if (!string.IsNullOrEmpty(file))
        {
            properties.Add("file=" + EscapeProperty(PrintableText.Clean(file)));
            if (line is > 0)
            {
                properties.Add("line=" + line.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (column is > 0)
                {
                    properties.Add("col=" + column.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        if (!string.IsNullOrEmpty(title))
        {
            properties.Add("title=" + EscapeProperty(PrintableText.Clean(title)));
        }

        var command = new StringBuilder("::").Append(name);
        if (properties.Count > 0)
        {
            command.Append(' ').AppendJoin(',', properties);
        }

        // Annotations quote rows and model answers: their control characters (ESC colours the log) are shown, not obeyed.
        return command.Append("::").Append(EscapeData(PrintableText.Clean(message))).ToString();
    }
}
