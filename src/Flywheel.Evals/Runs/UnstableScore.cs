namespace Flywheel.Evals.Runs;

/// <summary>A score on which the judge, asked several times, disagreed with itself: worth a human look.</summary>
public sealed record UnstableScore
{
    /// <summary>The dataset.</summary>
    public required string Dataset { get; init; }

    /// <summary>The row id.</summary>
    public required string Id { get; init; }

    /// <summary>The evaluator.</summary>
    public required string Evaluator { get; init; }

    /// <summary>The outcome the majority gave: true, false, or null when undecided.</summary>
    public bool? Passed { get; init; }

    /// <summary>One vote per repeat.</summary>
    public required IReadOnlyList<string> Votes { get; init; }
}
