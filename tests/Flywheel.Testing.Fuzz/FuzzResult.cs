namespace Flywheel.Testing.Fuzz;

/// <summary>A fuzzed case and what it did wrong (nothing, when it passed).</summary>
public sealed record FuzzResult(FuzzInput Input, IReadOnlyList<FuzzProblem> Problems, IReadOnlyList<int> ExitCodes, TimeSpan Elapsed)
{
    /// <summary>True when every command ended as it must.</summary>
    public bool Passed => Problems.Count == 0;
}
