namespace Flywheel.Evals.Datasets;

/// <summary>A dataset folder: its manifest and where its files are.</summary>
public sealed record Dataset(DatasetManifest Manifest, string Directory, string DisplayPath)
{
    /// <summary>The dataset's name.</summary>
    public string Name => Manifest.Name;

    /// <summary>The full path of rows.jsonl.</summary>
    public string RowsPath => System.IO.Path.Combine(Directory, "rows.jsonl");

    /// <summary>rows.jsonl as shown in diagnostics (relative to the root).</summary>
    public string RowsDisplayPath => DisplayPath.TrimEnd('/') + "/rows.jsonl";

    /// <summary>dataset.json as shown in diagnostics.</summary>
    public string ManifestDisplayPath => DisplayPath.TrimEnd('/') + "/dataset.json";
}
