using Flywheel.Evals.Diagnostics;

namespace Flywheel.Evals.Runs;

/// <summary>A finished run and every diagnostic raised on the way; owns the row spool until disposed.</summary>
public sealed class RunResult : IAsyncDisposable
{
    private readonly IAsyncDisposable? _spool;

    internal RunResult(Run run, IReadOnlyList<Diagnostic> diagnostics, IAsyncDisposable? spool)
    {
        Run = run;
        Diagnostics = diagnostics;
        _spool = spool;
    }

    /// <summary>The run (run.json).</summary>
    public Run Run { get; }

    /// <summary>Errors and warnings about the input.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>0 passed, 1 a gate failed, 2 input wrong or undecided.</summary>
    public int ExitCode => Verdicts.ExitCode(Run.Verdict);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _spool?.DisposeAsync() ?? ValueTask.CompletedTask;
}
