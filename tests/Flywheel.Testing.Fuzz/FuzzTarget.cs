namespace Flywheel.Testing.Fuzz;

/// <summary>Which input a fuzzed case mutates, and so which command reads it.</summary>
public enum FuzzTarget
{
    /// <summary>evaluators/flywheel.json, read by validate and gate.</summary>
    Suite,

    /// <summary>The dataset's dataset.json.</summary>
    Manifest,

    /// <summary>The dataset's rows.jsonl.</summary>
    Rows,

    /// <summary>The recorded responses the suite names.</summary>
    Responses,

    /// <summary>A run.json rendered by report.</summary>
    ReportRun,

    /// <summary>A run.json given as --baseline to gate or report.</summary>
    BaselineRun,

    /// <summary>A run.json in the --history folder of an HTML report.</summary>
    HistoryRun,
}
