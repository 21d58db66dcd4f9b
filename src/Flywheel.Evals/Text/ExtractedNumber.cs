namespace Flywheel.Evals.Text;

/// <summary>A number found in a text: as written, and its value.</summary>
public readonly record struct ExtractedNumber(string Text, decimal Value);
