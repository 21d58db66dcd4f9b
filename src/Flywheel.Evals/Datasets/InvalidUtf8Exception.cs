using System.Text;

namespace Flywheel.Evals.Datasets;

/// <summary>A JSON Lines file holds bytes that are not UTF-8, near the given line.</summary>
public sealed class InvalidUtf8Exception(int line, DecoderFallbackException inner)
    : Exception($"the file is not valid UTF-8 (at or near line {line})", inner)
{
    /// <summary>The line (1-based) where decoding failed, within the reader's buffer.</summary>
    public int Line { get; } = line;
}
