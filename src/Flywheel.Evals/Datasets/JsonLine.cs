namespace Flywheel.Evals.Datasets;

/// <summary>One non-blank line of a JSON Lines file: its 1-based number and its UTF-8 bytes (without the line end).</summary>
public readonly record struct JsonLine(int Number, ReadOnlyMemory<byte> Utf8)
{
    /// <summary>The line as text (decoded on demand: most lines are parsed straight from their bytes).</summary>
    public string Text => System.Text.Encoding.UTF8.GetString(Utf8.Span);

    /// <summary>The array pool buffer <see cref="Utf8"/> lies in, when the reader rented it; whoever ends the line's use returns it.</summary>
    internal byte[]? Pooled { get; init; }
}
