namespace Flywheel.Evals.Evaluators;

/// <summary>An argument value a judge found to mean an acceptable value: the tool, the argument, and the value as raw JSON.</summary>
internal readonly record struct AcceptedValue(string Tool, string Argument, string Value);
