using Flywheel.Action;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C stops the run cleanly (spool deleted, nothing half-written); a second one kills the process.
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};
Console.OutputEncoding = System.Text.Encoding.UTF8;
// A terminal gets a live progress line; CI logs and redirected output get plain periodic lines.
var interactive = !Console.IsErrorRedirected && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
return await FlywheelCli.RunAsync(args, Console.Out, Console.Error, Directory.GetCurrentDirectory(), interactive, cancellation.Token);
