using System.Diagnostics;
using System.Globalization;
using Flywheel.Evals.Runs;

namespace Flywheel.Action;

/// <summary>
/// Shows a run's progress on standard error while it runs: on a terminal one line rewritten in place (rows done/total, calls,
/// cache hits, retries, errors, ETA); in CI a plain line every interval. Runs that call no model stay silent unless they are slow.
/// </summary>
internal sealed class ProgressReporter : IAsyncDisposable
{
    private static readonly TimeSpan LiveTick = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan QuietStart = TimeSpan.FromSeconds(2);
    private readonly RunProgress _progress;
    private readonly TextWriter _stderr;
    private readonly ProgressMode _mode;
    private readonly TimeSpan _interval;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _liveWidth;

    public ProgressReporter(RunProgress progress, TextWriter stderr, ProgressMode mode, TimeSpan interval)
    {
        _progress = progress;
        _stderr = stderr;
        _mode = mode;
        _interval = interval;
        _loop = mode == ProgressMode.None ? Task.CompletedTask : LoopAsync(_stop.Token);
    }

    /// <summary>Stops the line and, when models were called, writes the final tally.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        if (_liveWidth > 0)
        {
            await _stderr.WriteAsync($"\r{new string(' ', _liveWidth)}\r").ConfigureAwait(false);
        }

        if (_progress.Models.Count > 0 && _mode != ProgressMode.None)
        {
            await _stderr.WriteLineAsync($"flywheel: {Line(final: true)}").ConfigureAwait(false);
        }
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_mode == ProgressMode.Live ? LiveTick : _interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                // Nothing to say before the rows are counted; a run without models is usually done in a second or two.
                if (_progress.RowsTotal < 0 || (_progress.Models.Count == 0 && _clock.Elapsed < QuietStart))
                {
                    continue;
                }

                var line = $"flywheel: {Line(final: false)}";
                if (_mode == ProgressMode.Live)
                {
                    var padded = line.PadRight(_liveWidth);
                    _liveWidth = Math.Max(_liveWidth, line.Length);
                    await _stderr.WriteAsync($"\r{padded}").ConfigureAwait(false);
                }
                else
                {
                    await _stderr.WriteLineAsync(line).ConfigureAwait(false);
                }

                await _stderr.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped: the run is over.
        }
    }

    private string Line(bool final)
    {
        var done = _progress.RowsDone;
        var total = _progress.RowsTotal;
        var parts = new List<string>
        {
            total > 0 ? $"rows {done}/{total} ({Math.Min(100, 100 * done / total)}%)" : $"rows {done}",
        };
        var models = _progress.Models;
        if (models.Count > 0)
        {
            parts.Add($"calls {models.Sum(m => m.Requests)}");
            parts.Add($"cache hits {models.Sum(m => m.CacheHits)}");
            parts.Add($"retries {models.Sum(m => m.Retries)}");
        }

        parts.Add($"errors {_progress.Errors}");
        var elapsed = _clock.Elapsed;
        if (final)
        {
            parts.Add($"{elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        }
        else if (done > 0 && total > done)
        {
            var eta = TimeSpan.FromTicks(elapsed.Ticks / done * (total - done));
            parts.Add($"ETA {Format(eta)}");
        }

        return string.Join(" · ", parts);
    }

    private static string Format(TimeSpan span) => span.TotalMinutes >= 1
        ? $"{(int)span.TotalMinutes} min {span.Seconds:00} s"
        : $"{Math.Ceiling(span.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s";
}
