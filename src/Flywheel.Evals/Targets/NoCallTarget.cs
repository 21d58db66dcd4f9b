using Flywheel.Evals.Datasets;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Suites;

namespace Flywheel.Evals.Targets;

/// <summary>Stands in for a live target while validating: everything is read and checked, no model is called.</summary>
internal sealed class NoCallTarget(TargetConfig config) : ITarget
{
    public string Description => $"chat {config.Chat?.Model} (not called while validating)";

    public ValueTask<Response?> GetResponseAsync(Dataset dataset, Row row, CancellationToken cancellationToken) => ValueTask.FromResult<Response?>(null);

    public ValueTask CompleteAsync(DiagnosticBag diagnostics, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
