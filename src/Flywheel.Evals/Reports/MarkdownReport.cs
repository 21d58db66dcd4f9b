using System.Text;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Reports;

/// <summary>
/// The pull-request comment and job summary: the verdict, the counts and the failed gates first, then the failed-gate
/// table, regressions, cohorts, and details folded. It never exceeds its size: a report that does not fit is rendered
/// again with less detail (fewer rows per section, shorter cells, sections left out and named), never cut mid-way.
/// </summary>
public sealed class MarkdownReport : IRunReport
{
    /// <summary>The hidden marker that finds the sticky comment again.</summary>
    public const string Marker = "<!-- flywheel-report -->";

    /// <summary>The default size in characters: what one GitHub comment holds.</summary>
    public const int DefaultMaxChars = 65_536;

    /// <summary>The smallest size a report can be asked to fit: the verdict, the counts and a few failed gates.</summary>
    public const int MinMaxChars = 1_000;

    /// <summary>A report of at most <see cref="DefaultMaxChars"/> characters.</summary>
    public MarkdownReport()
        : this(DefaultMaxChars)
    {
    }

    /// <summary>A report of at most <paramref name="maxChars"/> characters (at least <see cref="MinMaxChars"/>).</summary>
    public MarkdownReport(int maxChars)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChars, MinMaxChars);
        MaxChars = maxChars;
    }

    /// <summary>The most characters the report may have.</summary>
    public int MaxChars { get; }

    /// <inheritdoc />
    public string Format => "md";

    /// <inheritdoc />
    public string? FileName => "report.md";

    /// <inheritdoc />
    public async Task WriteAsync(Run run, TextWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        await writer.WriteAsync(Render(run, MaxChars).AsMemory(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Renders the report in at most <see cref="DefaultMaxChars"/> characters.</summary>
    public static string Render(Run run) => Render(run, DefaultMaxChars);

    /// <summary>Renders the report in at most <paramref name="maxChars"/> UTF-16 characters and <paramref name="maxUtf8Bytes"/> UTF-8 bytes (each at least <see cref="MinMaxChars"/>), with as much detail as fits.</summary>
    public static string Render(Run run, int maxChars, long maxUtf8Bytes = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(run);
        var document = new MarkdownRunDocument(run);
        return Fit(document.Render, maxChars, maxUtf8Bytes);
    }

    /// <summary>The report of a run that could not start: the input errors, in at most <paramref name="maxChars"/> characters and <paramref name="maxUtf8Bytes"/> bytes.</summary>
    public static string RenderInputErrors(IReadOnlyList<Diagnostic> diagnostics, int maxChars, long maxUtf8Bytes = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        return Fit(
            detail =>
            {
                var md = new StringBuilder();
                md.Append(Marker).Append('\n');
                md.Append("## ⚠️ Flywheel gate could not run: ").Append(ReportText.Count(diagnostics.Count)).Append(" input error(s); fix them and run again.\n\n");
                var shown = Math.Min(diagnostics.Count, Math.Max(detail.Errors, 1));
                md.Append(MarkdownText.Block(diagnostics.Take(shown).Select(d => d.ToString()), detail.Cell * 2));
                if (shown < diagnostics.Count)
                {
                    md.Append("\n… and ").Append(ReportText.Count(diagnostics.Count - shown)).Append(" more in the log\n");
                }

                return md.ToString();
            },
            maxChars,
            maxUtf8Bytes);
    }

    private static string Fit(Func<MarkdownDetail, string> render, int maxChars, long maxUtf8Bytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChars, MinMaxChars);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxUtf8Bytes, MinMaxChars);
        string text = string.Empty;
        foreach (var detail in MarkdownDetail.Ladder)
        {
            text = render(detail);
            if (Fits(text, maxChars, maxUtf8Bytes))
            {
                return text;
            }
        }

        // Not reached at MinMaxChars or more: the least detailed rendering is a few plain lines (no table, fence or
        // <details>), so dropping whole lines from the end keeps it valid.
        while (!Fits(text, maxChars, maxUtf8Bytes))
        {
            var end = text.LastIndexOf('\n', Math.Max(0, text.Length - 2));
            if (end <= 0)
            {
                return string.Empty;
            }

            text = text[..(end + 1)];
        }

        return text;
    }

    private static bool Fits(string text, int maxChars, long maxUtf8Bytes) =>
        text.Length <= maxChars && (maxUtf8Bytes >= (long)text.Length * 3 || Encoding.UTF8.GetByteCount(text) <= maxUtf8Bytes);
}
