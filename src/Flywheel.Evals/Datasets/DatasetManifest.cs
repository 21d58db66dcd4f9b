namespace Flywheel.Evals.Datasets;

/// <summary>datasets/&lt;name&gt;/dataset.json: what the dataset is and which tags define its cohorts.</summary>
public sealed record DatasetManifest
{
    /// <summary>The dataset name; equals its folder name.</summary>
    public required string Name { get; init; }

    /// <summary>Semantic version, bumped when rows change.</summary>
    public required string Version { get; init; }

    /// <summary>What the dataset covers.</summary>
    public string? Description { get; init; }

    /// <summary>Who owns it.</summary>
    public string? Owner { get; init; }

    /// <summary>The row schema version the rows follow.</summary>
    public int? SchemaVersion { get; init; }

    /// <summary>The tag keys whose values form cohorts.</summary>
    public required IReadOnlyList<string> CohortKeys { get; init; }
}
