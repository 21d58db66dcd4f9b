namespace Flywheel.Evals.Promotion;

/// <summary>One non-blank line of a <see cref="RowsFile"/>: its 1-based number, where it starts, where the next line starts, its ending ("\r\n", "\n", or "" for an unterminated last line) and its row id (null when it has none).</summary>
internal sealed record RowsFileLine(int Number, int Start, int Next, string Terminator, string? Id);
