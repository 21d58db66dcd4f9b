using Flywheel.Action;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C stops the run cleanly (spool deleted, nothing half-written); a second one kills the process.
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};

// Faults outside the command's own flow get the command's treatment: one line, exit 2, never a crash (exit 134).
AppDomain.CurrentDomain.UnhandledException += (_, e) =>
{
    var exception = e.ExceptionObject as Exception ?? new InvalidOperationException($"a non-exception was thrown: {e.ExceptionObject}");
    Environment.Exit(FaultReport.Write(exception, Console.Error, args));
};

// A task that failed with no one awaiting it lost part of the run's work: the verdict cannot be trusted.
var lostWork = false;
TaskScheduler.UnobservedTaskException += (_, e) =>
{
    e.SetObserved();
    FaultReport.Write(e.Exception, Console.Error, args);
    Volatile.Write(ref lostWork, true);
};

Console.OutputEncoding = System.Text.Encoding.UTF8;
// A terminal gets a live progress line; CI logs and redirected output get plain periodic lines.
var interactive = !Console.IsErrorRedirected && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
var exitCode = await FlywheelCli.RunAsync(args, Console.Out, Console.Error, Directory.GetCurrentDirectory(), interactive, cancellation.Token);
return Volatile.Read(ref lostWork) ? FaultReport.ExitCode : exitCode;
