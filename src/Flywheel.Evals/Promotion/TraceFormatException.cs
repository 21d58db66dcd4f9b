namespace Flywheel.Evals.Promotion;

/// <summary>A trace file that cannot become a row; the message says why and where.</summary>
public sealed class TraceFormatException(string message, int line = 0) : Exception(message)
{
    /// <summary>The line of the trace file at fault (0 when the whole file is).</summary>
    public int Line { get; } = line;
}
