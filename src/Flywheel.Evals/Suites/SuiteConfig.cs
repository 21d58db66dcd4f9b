namespace Flywheel.Evals.Suites;

/// <summary>A suite: the datasets, where responses come from, the evaluators and the gates (evaluators/flywheel.json).</summary>
public sealed record SuiteConfig
{
    /// <summary>The suite file as shown in diagnostics.</summary>
    public required string Path { get; init; }

    /// <summary>The full path of the suite file.</summary>
    public required string FullPath { get; init; }

    /// <summary>The directory relative paths resolve against.</summary>
    public required string Root { get; init; }

    /// <summary>SHA-256 of the suite file's bytes.</summary>
    public required string Sha256 { get; init; }

    /// <summary>The dataset folders, relative to the root.</summary>
    public required IReadOnlyList<SuiteDatasetRef> Datasets { get; init; }

    /// <summary>Where responses come from.</summary>
    public required TargetConfig Target { get; init; }

    /// <summary>The judge model of <c>llm</c> evaluators; null when the suite has none.</summary>
    public JudgeConfig? Judge { get; init; }

    /// <summary>The evaluators, in the order they score.</summary>
    public required IReadOnlyList<EvaluatorConfig> Evaluators { get; init; }

    /// <summary>The gates.</summary>
    public required IReadOnlyList<GateConfig> Gates { get; init; }

    /// <summary>Extra redaction patterns for promotion.</summary>
    public IReadOnlyList<string> Redact { get; init; } = [];

    /// <summary>Resolves a path of the suite against the root.</summary>
    public string Resolve(string relative) => System.IO.Path.GetFullPath(System.IO.Path.Combine(Root, relative));
}
