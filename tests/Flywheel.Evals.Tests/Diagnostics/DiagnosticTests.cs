using Flywheel.Evals.Diagnostics;

namespace Flywheel.Evals.Tests.Diagnostics;

/// <summary>A diagnostic is printed to the terminal and read by editors and CI as one line.</summary>
public sealed class DiagnosticTests
{
    [Fact]
    public void Message_quoting_the_input_stays_on_one_line_and_shows_its_control_characters()
    {
        var diagnostic = new Diagnostic("rows.jsonl", 3, 1, DiagnosticCodes.DuplicateId, "duplicate id 'a\u001B[2J\nrows.jsonl(1,1): error FW0000: forged'");

        Assert.Equal("rows.jsonl(3,1): error FW1003: duplicate id 'a␛[2J rows.jsonl(1,1): error FW0000: forged'", diagnostic.ToString());
    }
}
