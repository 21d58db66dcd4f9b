namespace Flywheel.Evals.Runs;

/// <summary>One evaluation of a suite: run.json. Every report is rendered from it.</summary>
public sealed record Run
{
    /// <summary>The format identifier.</summary>
    public string Schema { get; init; } = "flywheel.run/v1";

    /// <summary>passed, failed or error.</summary>
    public required string Verdict { get; init; }

    /// <summary>The git commit of the root (with +dirty when the work tree differs).</summary>
    public string? Commit { get; init; }

    /// <summary>The suite file, relative to the root.</summary>
    public string? Config { get; init; }

    /// <summary>SHA-256 of the suite file.</summary>
    public string? ConfigSha256 { get; init; }

    /// <summary>The responses file, relative to the root.</summary>
    public string? Responses { get; init; }

    /// <summary>The baseline the run was compared with.</summary>
    public string? Baseline { get; init; }

    /// <summary>Where the gates, evaluators, judge and endpoints came from (<c>main@1a2b3c4d5e6f</c>); null when from the suite itself.</summary>
    public string? GatesFrom { get; init; }

    /// <summary>The trusted settings the suite being run changes (they take effect once merged); null when the gates came from the suite itself.</summary>
    public IReadOnlyList<Suites.GateChange>? GateChanges { get; init; }

    /// <summary>When the run started (UTC, ISO 8601).</summary>
    public required string StartedAt { get; init; }

    /// <summary>How long it took.</summary>
    public long DurationMs { get; init; }

    /// <summary>The model ids seen in responses.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>The datasets read.</summary>
    public required IReadOnlyList<RunDataset> Datasets { get; init; }

    /// <summary>Every row's outcome.</summary>
    public required RunRows Rows { get; init; }

    /// <summary>Every cohort × evaluator aggregate.</summary>
    public required IReadOnlyList<CohortResult> Cohorts { get; init; }

    /// <summary>Every gate's outcome per cohort.</summary>
    public required IReadOnlyList<GateResult> Gates { get; init; }

    /// <summary>Rows that passed in the baseline and fail now.</summary>
    public required IReadOnlyList<Regression> Regressions { get; init; }

    /// <summary>Rows (dataset/id) this run has and the baseline had not; null without a baseline.</summary>
    public IReadOnlyList<string>? RowsAdded { get; init; }

    /// <summary>Rows (dataset/id) the baseline had and this run has not; null without a baseline.</summary>
    public IReadOnlyList<string>? RowsRemoved { get; init; }

    /// <summary>How many scores (and live responses) could not be decided; any makes the verdict <c>error</c>.</summary>
    public int UndecidedScores { get; init; }

    /// <summary>What the run asked of models; null when it called none.</summary>
    public RunModelCalls? ModelCalls { get; init; }

    /// <summary>Scores on which a repeated judge disagreed with itself; null unless the judge was asked more than once.</summary>
    public IReadOnlyList<UnstableScore>? Unstable { get; init; }

    /// <summary>Input problems and undecidable rows that make the verdict an error.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];
}
