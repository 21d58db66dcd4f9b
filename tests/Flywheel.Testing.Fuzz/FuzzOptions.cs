namespace Flywheel.Testing.Fuzz;

/// <summary>How many cases a fuzz run makes, from where, on how many workers.</summary>
public sealed record FuzzOptions
{
    /// <summary>The stream of cases: case k of seed s is the same on every run.</summary>
    public required int Seed { get; init; }

    /// <summary>The first case's index.</summary>
    public long Start { get; init; }

    /// <summary>How many cases at most.</summary>
    public long Count { get; init; } = long.MaxValue;

    /// <summary>Stop starting cases after this long (null: only <see cref="Count"/> stops the run).</summary>
    public TimeSpan? Budget { get; init; }

    /// <summary>Cases run at once, each worker on its own copy of the sample.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>The longest one command may take before it counts as hung.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The folder the workers' copies go in.</summary>
    public required string Scratch { get; init; }
}
