namespace Flywheel.Evals.Runs;

/// <summary>What a run asked of models (the judge, a chat target): run.json's <c>model_calls</c>. Never holds a key.</summary>
public sealed record RunModelCalls
{
    /// <summary>The call budget (--max-calls); null when unlimited.</summary>
    public int? MaxCalls { get; init; }

    /// <summary>True when the budget ran out before every row was decided (the verdict is then <c>error</c>).</summary>
    public bool BudgetExhausted { get; init; }

    /// <summary>How many times the judge was asked each question.</summary>
    public int? JudgeRepeats { get; init; }

    /// <summary>Requests sent, all endpoints together (retries included).</summary>
    public long Requests { get; init; }

    /// <summary>Requests answered from the cache, all endpoints together.</summary>
    public long CacheHits { get; init; }

    /// <summary>Per endpoint role.</summary>
    public required IReadOnlyList<RunModelEndpoint> Endpoints { get; init; }
}
