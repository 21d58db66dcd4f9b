namespace Flywheel.Testing.Fuzz;

/// <summary>Runs one flywheel command line in <paramref name="workingDirectory"/>: in-process for the tests, as a child process for bench/fuzz.</summary>
public delegate Task<CommandResult> FlywheelInvoker(IReadOnlyList<string> args, string workingDirectory, CancellationToken cancellationToken);
