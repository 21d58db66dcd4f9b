using System.Globalization;
using System.Xml;
using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Reports;

/// <summary>JUnit XML: one test case per row and evaluator, one per gate, for CI systems that read JUnit. Text XML cannot carry is replaced (see <see cref="PrintableText"/>).</summary>
public sealed class JUnitReport : IRunReport
{
    private const int MaxAttributeChars = 1_000;
    private const int MaxBodyChars = 8_000;

    /// <inheritdoc />
    public string Format => "junit";

    /// <inheritdoc />
    public string? FileName => "junit.xml";

    /// <inheritdoc />
    public async Task WriteAsync(Run run, TextWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        // Counts come first in JUnit, so the rows are read twice: once to count, once to write (they stream from disk).
        var counts = run.Datasets.ToDictionary(d => d.Name, _ => new Counts(), StringComparer.Ordinal);
        foreach (var row in run.Rows)
        {
            var counter = counts.TryGetValue(row.Dataset, out var c) ? c : counts[row.Dataset] = new Counts();
            foreach (var score in Cases(row))
            {
                counter.Tests++;
                if (row.Review != Datasets.ReviewStatuses.Approved)
                {
                    counter.Skipped++;
                }
                else if (score.Passed is null)
                {
                    counter.Errors++;
                }
                else if (score.Passed == false)
                {
                    counter.Failures++;
                }
            }
        }

        var settings = new XmlWriterSettings { Async = true, Indent = true, Encoding = new System.Text.UTF8Encoding(false) };
        await using var xml = XmlWriter.Create(writer, settings);
        await xml.WriteStartDocumentAsync().ConfigureAwait(false);
        await xml.WriteStartElementAsync(null, "testsuites", null).ConfigureAwait(false);
        await xml.WriteAttributeStringAsync(null, "name", null, "flywheel").ConfigureAwait(false);
        await xml.WriteAttributeStringAsync(null, "tests", null, Number(counts.Values.Sum(c => c.Tests) + run.Gates.Count)).ConfigureAwait(false);
        await xml.WriteAttributeStringAsync(null, "failures", null, Number(counts.Values.Sum(c => c.Failures) + run.Gates.Count(g => g.Blocking))).ConfigureAwait(false);
        await xml.WriteAttributeStringAsync(null, "errors", null, Number(counts.Values.Sum(c => c.Errors))).ConfigureAwait(false);
        await xml.WriteAttributeStringAsync(null, "time", null, Seconds(run.DurationMs)).ConfigureAwait(false);

        foreach (var (dataset, counter) in counts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await xml.WriteStartElementAsync(null, "testsuite", null).ConfigureAwait(false);
            await xml.WriteAttributeStringAsync(null, "name", null, Xml(dataset)).ConfigureAwait(false);
            await xml.WriteAttributeStringAsync(null, "tests", null, Number(counter.Tests)).ConfigureAwait(false);
            await xml.WriteAttributeStringAsync(null, "failures", null, Number(counter.Failures)).ConfigureAwait(false);
            await xml.WriteAttributeStringAsync(null, "errors", null, Number(counter.Errors)).ConfigureAwait(false);
            await xml.WriteAttributeStringAsync(null, "skipped", null, Number(counter.Skipped)).ConfigureAwait(false);
            foreach (var row in run.Rows.Where(r => r.Dataset == dataset))
            {
                foreach (var score in Cases(row))
                {
                    await WriteCaseAsync(xml, row, score).ConfigureAwait(false);
                }
            }

            await xml.WriteEndElementAsync().ConfigureAwait(false);
        }

        await WriteGatesAsync(xml, run).ConfigureAwait(false);
        await xml.WriteEndElementAsync().ConfigureAwait(false);
        await xml.WriteEndDocumentAsync().ConfigureAwait(false);
        await xml.FlushAsync().ConfigureAwait(false);
    }

    private static IEnumerable<Evaluators.Score> Cases(RunRow row) => row.Scores;

    private static async Task WriteCaseAsync(XmlWriter xml, RunRow row, Evaluators.Score score)
    {
        await xml.WriteStartElementAsync(null, "testcase", null).ConfigureAwait(false);
        await xml.WriteAttributeStringAsync(null, "classname", null, Xml(row.Tags.TryGetValue("intent", out var intent) ? $"{row.Dataset}.{intent}" : row.Dataset)).ConfigureAwait(false);
        await xml.WriteAttributeStringAsync(null, "name", null, Xml($"{row.Dataset}/{row.Id} · {score.Evaluator}")).ConfigureAwait(false);
        if (row.Review != Datasets.ReviewStatuses.Approved)
        {
            await xml.WriteStartElementAsync(null, "skipped", null).ConfigureAwait(false);
            await xml.WriteAttributeStringAsync(null, "message", null, Xml($"review {row.Review}: shown, not gating")).ConfigureAwait(false);
            await xml.WriteEndElementAsync().ConfigureAwait(false);
        }
        else if (score.Passed is null)
        {
            await xml.WriteStartElementAsync(null, "error", null).ConfigureAwait(false);
            await xml.WriteAttributeStringAsync(null, "message", null, Xml(score.Error ?? "undecided")).ConfigureAwait(false);
            await xml.WriteEndElementAsync().ConfigureAwait(false);
        }
        else if (score.Passed == false)
        {
            await xml.WriteStartElementAsync(null, "failure", null).ConfigureAwait(false);
            await xml.WriteAttributeStringAsync(null, "message", null, Xml(score.Reason ?? "failed")).ConfigureAwait(false);
            await xml.WriteStringAsync(Xml($"score {score.Value?.ToString("0.###", CultureInfo.InvariantCulture)}: {PrintableText.Shorten(score.Reason ?? string.Empty, MaxBodyChars)}", MaxBodyChars)).ConfigureAwait(false);
            await xml.WriteEndElementAsync().ConfigureAwait(false);
        }

        await xml.WriteEndElementAsync().ConfigureAwait(false);
    }

    private static async Task WriteGatesAsync(XmlWriter xml, Run run)
    {
        await xml.WriteStartElementAsync(null, "testsuite", null).ConfigureAwait(false);
        await xml.WriteAttributeStringAsync(null, "name", null, "gates").ConfigureAwait(false);
        await xml.WriteAttributeStringAsync(null, "tests", null, Number(run.Gates.Count)).ConfigureAwait(false);
        await xml.WriteAttributeStringAsync(null, "failures", null, Number(run.Gates.Count(g => g.Blocking))).ConfigureAwait(false);
        await xml.WriteAttributeStringAsync(null, "skipped", null, Number(run.Gates.Count(g => g.Status == GateStatuses.Skipped))).ConfigureAwait(false);
        foreach (var gate in run.Gates)
        {
            await xml.WriteStartElementAsync(null, "testcase", null).ConfigureAwait(false);
            await xml.WriteAttributeStringAsync(null, "classname", null, "flywheel.gates").ConfigureAwait(false);
            await xml.WriteAttributeStringAsync(null, "name", null, Xml($"gate {gate.Gate} · {ReportText.Label(gate)}")).ConfigureAwait(false);
            var child = gate.Blocking ? "failure" : gate.Status == GateStatuses.Skipped ? "skipped" : null;
            if (child is not null)
            {
                await xml.WriteStartElementAsync(null, child, null).ConfigureAwait(false);
                await xml.WriteAttributeStringAsync(null, "message", null, Xml(gate.Message)).ConfigureAwait(false);
                await xml.WriteEndElementAsync().ConfigureAwait(false);
            }

            await xml.WriteEndElementAsync().ConfigureAwait(false);
        }

        await xml.WriteEndElementAsync().ConfigureAwait(false);
    }

    // XML 1.0 cannot carry most control characters, lone surrogates or U+FFFE/U+FFFF, and XmlWriter throws on them
    // (leaving the file cut short), so every string from a row, model or suite is made printable first. Reasons that
    // quote a whole answer are cut (run.json keeps them whole): 500 rows of 100 KB answers made a 183 MB junit.xml.
    private static string Xml(string text, int max = MaxAttributeChars) => PrintableText.Clean(PrintableText.Shorten(text, max));

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(long milliseconds) => (milliseconds / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);

    private sealed class Counts
    {
        public int Tests { get; set; }
        public int Failures { get; set; }
        public int Errors { get; set; }
        public int Skipped { get; set; }
    }
}
