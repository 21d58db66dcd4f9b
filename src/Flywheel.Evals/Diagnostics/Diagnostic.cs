namespace Flywheel.Evals.Diagnostics;

/// <summary>One problem found in an input file, printed in the MSBuild/compiler form so editors and CI link to it.</summary>
public sealed record Diagnostic(string Path, int Line, int Column, string Code, string Message, DiagnosticSeverity Severity = DiagnosticSeverity.Error)
{
    /// <summary>Formats as <c>path(line,col): error FW1234: message</c>, on one line: a message quoting an id or a value from the input shows its control characters, never obeys them.</summary>
    public override string ToString()
    {
        var severity = Severity == DiagnosticSeverity.Error ? "error" : "warning";
        var location = Line > 0 ? $"({Line},{Math.Max(Column, 1)})" : string.Empty;
        return $"{Reports.PrintableText.Line(Path)}{location}: {severity} {Code}: {Reports.PrintableText.Line(Message)}";
    }
}
