namespace Flywheel.Evals.Chat;

/// <summary>The run-level limit on requests sent to model endpoints (--max-calls), shared by the judge and the chat target.</summary>
public sealed class CallBudget
{
    private int _used;
    private int _refused;

    /// <summary>Creates a budget; null means unlimited.</summary>
    public CallBudget(int? max)
    {
        if (max is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, "a call budget cannot be negative");
        }

        Max = max;
    }

    /// <summary>The most requests the run may send; null when unlimited.</summary>
    public int? Max { get; }

    /// <summary>Requests taken from the budget so far.</summary>
    public int Used => Volatile.Read(ref _used);

    /// <summary>Requests refused because the budget was spent.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>True once a request was refused: some row was not decided.</summary>
    public bool Exhausted => Refused > 0;

    /// <summary>Takes one request from the budget; false when it is spent.</summary>
    public bool TryTake()
    {
        var taken = Interlocked.Increment(ref _used);
        if (Max is { } max && taken > max)
        {
            Interlocked.Decrement(ref _used);
            Interlocked.Increment(ref _refused);
            return false;
        }

        return true;
    }
}
