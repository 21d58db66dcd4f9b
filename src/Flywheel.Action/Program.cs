using Flywheel.Action;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C stops the run cleanly (spool deleted, nothing half-written); a second one kills the process.
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};
Console.OutputEncoding = System.Text.Encoding.UTF8;
return await FlywheelCli.RunAsync(args, Console.Out, Console.Error, Directory.GetCurrentDirectory(), cancellation.Token);
