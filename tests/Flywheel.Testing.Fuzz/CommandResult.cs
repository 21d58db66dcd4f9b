namespace Flywheel.Testing.Fuzz;

/// <summary>How one flywheel command ended.</summary>
/// <param name="ExitCode">The exit code (a process killed by a signal: 128 + the signal).</param>
/// <param name="Stdout">What it wrote to standard output.</param>
/// <param name="Stderr">What it wrote to standard error.</param>
/// <param name="Crash">An exception that escaped the in-process command line (the process would have died of it), with its trace.</param>
/// <param name="TimedOut">It was still running when its time was up, and was stopped.</param>
public sealed record CommandResult(int ExitCode, string Stdout, string Stderr, string? Crash = null, bool TimedOut = false);
