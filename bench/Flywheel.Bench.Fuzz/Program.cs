using System.Diagnostics;
using System.Globalization;
using System.Text;
using Flywheel.Testing.Fuzz;

// Runs the seeded mutator's cases (tests/Flywheel.Testing.Fuzz, the same cases the in-process test makes) through the
// real flywheel process, for a number of cases or a time budget, and prints the count, the speed and every way of
// failing with one reproduction (whose whole input is saved under --save).
const string Usage = "usage: flywheel-bench-fuzz --cli FLYWHEEL(.dll) --repo DIR --scratch DIR [--count N | --seconds S] [--seed S] [--start I] "
    + "[--workers W] [--row-stride K] [--timeout S] [--save DIR]";
string? cli = null, repo = null, scratch = null, save = null;
long? count = null;
double? seconds = null;
var seed = 20261203;
long start = 0;
var workers = Environment.ProcessorCount;
var rowStride = 6; // the in-process test's sample, so its reproductions replay here as they are
var timeout = 60.0;
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--cli" when value is not null: cli = Path.GetFullPath(value); i++; break;
        case "--repo" when value is not null: repo = Path.GetFullPath(value); i++; break;
        case "--scratch" when value is not null: scratch = Path.GetFullPath(value); i++; break;
        case "--save" when value is not null: save = Path.GetFullPath(value); i++; break;
        case "--count" when long.TryParse(value, CultureInfo.InvariantCulture, out var n) && n > 0: count = n; i++; break;
        case "--seconds" when double.TryParse(value, CultureInfo.InvariantCulture, out var s) && s > 0: seconds = s; i++; break;
        case "--seed" when int.TryParse(value, CultureInfo.InvariantCulture, out var s): seed = s; i++; break;
        case "--start" when long.TryParse(value, CultureInfo.InvariantCulture, out var s) && s >= 0: start = s; i++; break;
        case "--workers" when int.TryParse(value, CultureInfo.InvariantCulture, out var w) && w > 0: workers = w; i++; break;
        case "--row-stride" when int.TryParse(value, CultureInfo.InvariantCulture, out var k) && k > 0: rowStride = k; i++; break;
        case "--timeout" when double.TryParse(value, CultureInfo.InvariantCulture, out var t) && t > 0: timeout = t; i++; break;
        default:
            Console.Error.WriteLine($"flywheel-bench-fuzz: bad argument '{args[i]}'\n{Usage}");
            return 2;
    }
}

if (cli is null || repo is null || scratch is null || (count is null && seconds is null))
{
    Console.Error.WriteLine(Usage);
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C ends the run early with its summary; the cases in flight are stopped.
    e.Cancel = true;
    cancellation.Cancel();
};

Directory.CreateDirectory(scratch);
var sample = await FuzzSample.CreateAsync(repo, scratch, RunProcessAsync, rowStride, cancellation.Token);
var options = new FuzzOptions
{
    Seed = seed,
    Start = start,
    Count = count ?? long.MaxValue,
    Budget = seconds is { } s2 ? TimeSpan.FromSeconds(s2) : null,
    Workers = workers,
    Timeout = TimeSpan.FromSeconds(timeout),
    Scratch = scratch,
};
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fuzzing {cli} with seed {seed} from index {start}: {(count is { } c ? $"{c} inputs" : $"{seconds} s")}, {workers} worker(s), every {rowStride}. row of the sample"));

var clock = Stopwatch.StartNew();
long done = 0, failed = 0;
var lastReport = TimeSpan.Zero;
var gate = new object();
FuzzSummary summary;
try
{
    summary = await FuzzRunner.RunAsync(sample, options, RunProcessAsync, result =>
    {
        lock (gate)
        {
            done++;
            if (!result.Passed)
            {
                failed++;
                Console.WriteLine($"FAIL {result.Input.Reproduction}\n     {string.Join("; ", result.Problems.Select(p => p.Class).Distinct())}");
            }

            if (clock.Elapsed - lastReport >= TimeSpan.FromSeconds(10))
            {
                lastReport = clock.Elapsed;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"... {done} inputs in {clock.Elapsed.TotalSeconds:0} s ({done / clock.Elapsed.TotalSeconds:0.0}/s), {failed} failed"));
            }
        }
    }, cancellation.Token);
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("flywheel-bench-fuzz: cancelled");
    return 130;
}

Console.WriteLine();
Console.Write(summary);
if (save is not null)
{
    foreach (var failure in summary.Failures)
    {
        Console.WriteLine("saved " + FuzzWorkspace.Save(sample, failure.Example, save));
    }
}

return summary.Failures.Count == 0 ? 0 : 1;

// The real command line as a child process: a dll runs under dotnet, anything else is an executable (the native build).
async Task<CommandResult> RunProcessAsync(IReadOnlyList<string> arguments, string workingDirectory, CancellationToken cancellationToken)
{
    var dll = cli!.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
    var info = new ProcessStartInfo(dll ? "dotnet" : cli)
    {
        WorkingDirectory = workingDirectory,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        StandardOutputEncoding = Encoding.UTF8,
        StandardErrorEncoding = Encoding.UTF8,
        UseShellExecute = false,
    };
    if (dll)
    {
        info.ArgumentList.Add(cli);
    }

    foreach (var argument in arguments)
    {
        info.ArgumentList.Add(argument);
    }

    info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
    info.Environment["CI"] = "true";
    using var process = Process.Start(info)!;
    var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
    var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
    try
    {
        await process.WaitForExitAsync(cancellationToken);
    }
    catch (OperationCanceledException)
    {
        // Out of time (the runner marks the case as hung) or Ctrl+C.
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(CancellationToken.None);
    }

    return new CommandResult(process.ExitCode, await stdout, await stderr);
}
