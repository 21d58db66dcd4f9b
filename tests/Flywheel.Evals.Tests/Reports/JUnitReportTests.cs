using System.Xml;
using System.Xml.Linq;
using Flywheel.Evals.Reports;
using Flywheel.Evals.Runs;
using Flywheel.Evals.Tests.Support;

namespace Flywheel.Evals.Tests.Reports;

/// <summary>junit.xml is always whole, well-formed XML 1.0: what XML cannot carry is replaced in every attribute and text node.</summary>
public sealed class JUnitReportTests
{
    [Theory]
    [MemberData(nameof(MarkdownReportEscapingTests.Hostile), MemberType = typeof(MarkdownReportEscapingTests))]
    public async Task Hostile_text_in_every_attribute_and_text_node_reads_back_with_a_default_XmlReader(string hostile)
    {
        var run = TestRuns.Build(
            [
                new TestRow("r-1" + hostile, hostile, hostile),
                new TestRow("r-2" + hostile, hostile, hostile, Passed: null),
                new TestRow("r-3" + hostile, hostile, hostile, Review: Flywheel.Evals.Datasets.ReviewStatuses.Pending),
            ],
            dataset: "demo" + hostile,
            evaluator: "answer" + hostile);

        var xml = await Render(run);

        using (var reader = XmlReader.Create(new StringReader(xml)))
        {
            while (reader.Read())
            {
            }
        }

        var document = XDocument.Parse(xml);
        var clean = PrintableText.Clean(hostile);
        var failure = Assert.Single(document.Descendants("testcase"), c => c.Element("failure") is not null && ((string?)c.Attribute("name"))!.StartsWith($"demo{clean}/r-1", StringComparison.Ordinal)).Element("failure")!;
        Assert.Equal(clean, (string?)failure.Attribute("message"));
        Assert.Equal($"score 0: {clean}".ReplaceLineEndings("\n"), failure.Value);
        Assert.Equal(clean, (string?)document.Descendants("error").Single().Attribute("message"));
        Assert.Contains(document.Descendants("failure"), f => ((string?)f.Attribute("message"))!.StartsWith($"intent={clean}: pass rate", StringComparison.Ordinal));
        Assert.Contains(document.Descendants("testcase"), c => (string?)c.Attribute("classname") == $"demo{clean}.{clean}");
    }

    [Fact]
    public async Task Control_characters_show_as_their_pictures_and_the_file_ends_whole()
    {
        var run = TestRuns.Build([new TestRow("r-1", "a", "vertical\u000Btab, start\u0001, lone \uD800, \uFFFF")]);

        var xml = await Render(run);

        Assert.Contains("vertical␋tab, start␁, lone �, �", xml, StringComparison.Ordinal);
        Assert.EndsWith("</testsuites>", xml.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reason_quoting_a_whole_answer_is_cut_in_the_message_and_the_body()
    {
        var run = TestRuns.Build([new TestRow("r-1", "a", new string('x', 100_000))]);

        var document = XDocument.Parse(await Render(run));

        var failure = document.Descendants("failure").First(f => ((string?)f.Parent!.Attribute("name"))!.StartsWith("demo/r-1", StringComparison.Ordinal));
        Assert.Equal(1_000, ((string?)failure.Attribute("message"))!.Length);
        Assert.EndsWith("x…", (string?)failure.Attribute("message"), StringComparison.Ordinal);
        Assert.Equal(8_000, failure.Value.Length);
    }

    private static async Task<string> Render(Run run)
    {
        var writer = new StringWriter();
        await new JUnitReport().WriteAsync(run, writer, TestContext.Current.CancellationToken);
        return writer.ToString();
    }
}
