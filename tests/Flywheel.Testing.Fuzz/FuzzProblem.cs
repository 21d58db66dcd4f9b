namespace Flywheel.Testing.Fuzz;

/// <summary>One thing a fuzzed case did wrong.</summary>
/// <param name="Class">A short name shared by every case that fails the same way (e.g. "crash: InvalidOperationException at Flywheel.Evals…"), to group them.</param>
/// <param name="Command">The command line that did it.</param>
/// <param name="Detail">The line of output or the file that shows it.</param>
public sealed record FuzzProblem(string Class, string Command, string Detail);
