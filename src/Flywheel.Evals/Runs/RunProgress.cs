using Flywheel.Evals.Chat;

namespace Flywheel.Evals.Runs;

/// <summary>A run's progress, updated by the engine as rows finish and read by whoever shows it (the command line's progress line).</summary>
public sealed class RunProgress
{
    private long _rowsTotal = -1;
    private long _rowsDone;
    private long _errors;
    private volatile IReadOnlyList<ModelCallStats> _models = [];

    /// <summary>Rows the run will score (approximate: lines of rows.jsonl); -1 until counted.</summary>
    public long RowsTotal => Interlocked.Read(ref _rowsTotal);

    /// <summary>Rows scored so far.</summary>
    public long RowsDone => Interlocked.Read(ref _rowsDone);

    /// <summary>Scores and responses that could not be decided so far.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>The model pipelines of the run (empty when it calls no model).</summary>
    public IReadOnlyList<ModelCallStats> Models => _models;

    internal void SetTotal(long rows) => Interlocked.Exchange(ref _rowsTotal, rows);

    internal void RowDone(int errors)
    {
        Interlocked.Increment(ref _rowsDone);
        if (errors > 0)
        {
            Interlocked.Add(ref _errors, errors);
        }
    }

    internal void SetModels(IReadOnlyList<ModelCallStats> models) => _models = models;
}
