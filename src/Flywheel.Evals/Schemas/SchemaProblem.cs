namespace Flywheel.Evals.Schemas;

/// <summary>One schema violation: where in the JSON text it is and what is wrong.</summary>
public sealed record SchemaProblem(int Line, int Column, string Message);
