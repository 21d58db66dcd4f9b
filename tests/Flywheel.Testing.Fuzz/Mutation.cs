namespace Flywheel.Testing.Fuzz;

/// <summary>One mutated file: the kind of mutation, where and what it changed (for a one-line reproduction), and the resulting bytes.</summary>
public sealed record Mutation(string Kind, string Description, byte[] Bytes);
