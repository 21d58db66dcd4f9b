using Flywheel.Evals.Datasets;
using Flywheel.Evals.Diagnostics;

namespace Flywheel.Evals.Targets;

/// <summary>Where responses come from: a recorded file, or live calls.</summary>
public interface ITarget : IAsyncDisposable
{
    /// <summary>A short description for reports (the responses file, the endpoint and model).</summary>
    string Description { get; }

    /// <summary>The response to a row, or null when there is none (an error of that row, never a pass).</summary>
    ValueTask<Response?> GetResponseAsync(Dataset dataset, Row row, CancellationToken cancellationToken);

    /// <summary>
    /// Called for a line of the dataset that is not a valid row (its own problem is reported): what the target holds for
    /// it is not reported as for an unknown row. <paramref name="id"/> is null when not even the line's id could be read.
    /// </summary>
    ValueTask SkipAsync(Dataset dataset, string? id, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Called after the last row: reports what the target holds that no row asked for.</summary>
    ValueTask CompleteAsync(DiagnosticBag diagnostics, CancellationToken cancellationToken);
}
