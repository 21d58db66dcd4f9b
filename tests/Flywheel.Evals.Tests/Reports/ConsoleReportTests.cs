using Flywheel.Evals.Reports;
using Flywheel.Evals.Tests.Support;

namespace Flywheel.Evals.Tests.Reports;

/// <summary>The terminal report prints text from rows and models one line each, with its control characters shown: a model's answer cannot move the cursor, recolour, retitle the terminal or forge a line.</summary>
public sealed class ConsoleReportTests
{
    private const string Escapes = "\u001B[2J\u001B]0;pwned\u0007\u009B31m\rFlywheel gate passed: all gates passed.\nnext";

    [Fact]
    public async Task Escape_sequences_and_line_breaks_from_rows_and_models_are_shown_not_obeyed()
    {
        var run = TestRuns.Build([new TestRow("r-1" + Escapes, "i" + Escapes, "reason" + Escapes)]);
        var writer = new StringWriter();

        await new ConsoleReport().WriteAsync(run, writer, TestContext.Current.CancellationToken);

        var text = writer.ToString();
        Assert.DoesNotContain(text, c => (c < ' ' && c != '\n') || c is >= '\u007F' and <= '\u009F');
        Assert.Contains("␛[2J␛]0;pwned␇�31m Flywheel gate passed: all gates passed. next", text, StringComparison.Ordinal);
        var lines = text.Split('\n');
        Assert.DoesNotContain(lines, l => l.StartsWith("Flywheel gate passed", StringComparison.Ordinal));
        Assert.StartsWith("Flywheel gate failed:", lines.Last(l => l.Length > 0), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Thousands_of_failed_gates_name_their_failing_rows_and_the_last_line_stays_short()
    {
        var run = TestRuns.Failing(4_000, 4_000, "wrong");
        var writer = new StringWriter();

        await new ConsoleReport().WriteAsync(run, writer, TestContext.Current.CancellationToken);

        var lines = writer.ToString().Split('\n');
        Assert.Contains("      row-04000  answer: wrong", lines);
        var last = lines.Last(l => l.Length > 0);
        Assert.EndsWith(", … and 3,980 more). Exit code 1.", last, StringComparison.Ordinal);
        Assert.InRange(last.Length, 100, 600);
    }
}
