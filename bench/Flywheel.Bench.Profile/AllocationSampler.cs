using System.Diagnostics.Tracing;

/// <summary>Samples the runtime's allocation ticks (one event per ~100 KB allocated) and sums them by type.</summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly Dictionary<string, long> _bytes = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    private readonly double[] _gcSeconds = new double[3];
    private readonly int[] _gcCount = new int[3];
    private readonly long[] _promoted = new long[3];
    private DateTime _gcStarted;
    private int _gcDepth;

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is { } gcEvent && gcEvent.StartsWith("GCStart", StringComparison.Ordinal) && eventData.Payload is not null)
        {
            _gcStarted = eventData.TimeStamp;
            _gcDepth = Math.Min(2, Convert.ToInt32(eventData.Payload[eventData.PayloadNames!.IndexOf("Depth")], System.Globalization.CultureInfo.InvariantCulture));
            return;
        }

        if (eventData.EventName is { } endEvent && endEvent.StartsWith("GCEnd", StringComparison.Ordinal))
        {
            lock (_gate)
            {
                _gcSeconds[_gcDepth] += (eventData.TimeStamp - _gcStarted).TotalSeconds;
                _gcCount[_gcDepth]++;
            }

            return;
        }

        if (eventData.EventName is { } statsEvent && statsEvent.StartsWith("GCHeapStats", StringComparison.Ordinal) && eventData.Payload is not null)
        {
            lock (_gate)
            {
                for (var g = 0; g < 3; g++)
                {
                    _promoted[g] += Convert.ToInt64(eventData.Payload[eventData.PayloadNames!.IndexOf($"TotalPromotedSize{g}")], System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            return;
        }

        if (eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null)
        {
            return;
        }

        var type = eventData.PayloadNames!.IndexOf("TypeName") is var t and >= 0 ? eventData.Payload[t] as string ?? "?" : "?";
        var amount = eventData.PayloadNames!.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(eventData.Payload[a], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        lock (_gate)
        {
            _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
        }
    }

    public string GcSummary()
    {
        lock (_gate)
        {
            return string.Join("; ", Enumerable.Range(0, 3).Select(g => $"gen{g}: {_gcCount[g]} GCs, {_gcSeconds[g]:0.000} s (start to end), promoted {_promoted[g] / 1e6:0} MB"));
        }
    }

    public IReadOnlyList<(string Type, long Bytes)> Top(int count)
    {
        lock (_gate)
        {
            return _bytes.OrderByDescending(p => p.Value).Take(count).Select(p => (p.Key, p.Value)).ToList();
        }
    }
}
