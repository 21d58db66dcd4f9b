namespace Flywheel.Testing.Fuzz;

/// <summary>Every failing case that failed the same way: how many, and the one with the lowest index, to reproduce.</summary>
public sealed record FuzzFailureClass(string Class, long Count, FuzzResult Example);
