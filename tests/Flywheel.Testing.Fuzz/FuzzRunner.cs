using System.Collections.Concurrent;
using System.Diagnostics;

namespace Flywheel.Testing.Fuzz;

/// <summary>Runs a stream of fuzzed cases on a few workers, each with its own copy of the sample, and groups the failures.</summary>
public static class FuzzRunner
{
    /// <summary>Runs the cases <paramref name="options"/> names through <paramref name="flywheel"/>; <paramref name="onResult"/> sees each one as it ends (from any worker).</summary>
    public static async Task<FuzzSummary> RunAsync(FuzzSample sample, FuzzOptions options, FlywheelInvoker flywheel, Action<FuzzResult>? onResult, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var next = options.Start - 1;
        var end = options.Count == long.MaxValue ? long.MaxValue : options.Start + options.Count;
        long inputs = 0;
        long failed = 0;
        var exits = new ConcurrentDictionary<int, long>();
        var commands = new ConcurrentDictionary<FuzzCommand, (long Count, TimeSpan Time)>();
        var classes = new ConcurrentDictionary<string, (long Count, FuzzResult Example)>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();

        async Task WorkAsync(int worker)
        {
            using var workspace = new FuzzWorkspace(sample, Path.Combine(options.Scratch, $"worker-{worker}"));
            while (!cancellationToken.IsCancellationRequested && (options.Budget is not { } budget || clock.Elapsed < budget))
            {
                var index = Interlocked.Increment(ref next);
                if (index >= end)
                {
                    return;
                }

                var result = await workspace.RunAsync(FuzzInput.Create(sample, options.Seed, index), flywheel, options.Timeout, cancellationToken);
                Interlocked.Increment(ref inputs);
                commands.AddOrUpdate(result.Input.Command, (1, result.Elapsed), (_, c) => (c.Count + 1, c.Time + result.Elapsed));
                foreach (var exit in result.ExitCodes)
                {
                    exits.AddOrUpdate(exit, 1, (_, n) => n + 1);
                }

                if (!result.Passed)
                {
                    Interlocked.Increment(ref failed);
                    foreach (var name in result.Problems.Select(p => p.Class).Distinct())
                    {
                        // The lowest index stands for its class, so the same run always names the same example.
                        classes.AddOrUpdate(name, (1, result), (_, seen) => (seen.Count + 1, seen.Example.Input.Index <= index ? seen.Example : result));
                    }
                }

                onResult?.Invoke(result);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Workers)).Select(w => Task.Run(() => WorkAsync(w), CancellationToken.None)));
        clock.Stop();
        var failures = classes.Select(c => new FuzzFailureClass(c.Key, c.Value.Count, c.Value.Example)).OrderByDescending(c => c.Count).ThenBy(c => c.Class, StringComparer.Ordinal).ToList();
        return new FuzzSummary(inputs, failed, clock.Elapsed, new Dictionary<int, long>(exits), new Dictionary<FuzzCommand, (long, TimeSpan)>(commands), failures);
    }
}
