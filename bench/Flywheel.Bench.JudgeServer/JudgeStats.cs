namespace Flywheel.Bench.JudgeServer;

/// <summary>Calls served, the most in flight at once, and requests no rule recognised: what a timing needs to be trusted.</summary>
internal sealed class JudgeStats
{
    private long _requests;
    private int _inFlight;
    private int _maxInFlight;
    private long _unrecognised;

    /// <summary>Counts a call in; disposing it counts it out.</summary>
    public Call Begin()
    {
        var number = Interlocked.Increment(ref _requests);
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }

        return new Call(this, number);
    }

    public void Unrecognised() => Interlocked.Increment(ref _unrecognised);

    public void Reset()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _maxInFlight, Volatile.Read(ref _inFlight));
        Interlocked.Exchange(ref _unrecognised, 0);
    }

    public object Snapshot() => new
    {
        requests = Interlocked.Read(ref _requests),
        in_flight = Volatile.Read(ref _inFlight),
        max_in_flight = Volatile.Read(ref _maxInFlight),
        unrecognised = Interlocked.Read(ref _unrecognised),
    };

    /// <summary>One call in flight.</summary>
    internal sealed class Call(JudgeStats stats, long number) : IDisposable
    {
        private int _disposed;

        public long Number { get; } = number;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref stats._inFlight);
            }
        }
    }
}
