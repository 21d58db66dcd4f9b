using System.Text;
using System.Text.Json;
using Flywheel.Evals.Git;

namespace Flywheel.Evals.Reports;

/// <summary>Renders a dataset diff as Markdown (for a PR) or JSON (for tools).</summary>
public static class DiffReport
{
    /// <summary>The diff as JSON.</summary>
    public static string Json(DiffResult diff) => JsonSerializer.Serialize(diff, FlywheelJson.Info<DiffResult>(indented: true));

    /// <summary>The diff as Markdown.</summary>
    public static string Markdown(DiffResult diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var md = new StringBuilder();
        md.AppendLine($"## Dataset changes: `{diff.Base}` ({diff.BaseCommit[..8]}) → `{diff.Head}` ({diff.HeadCommit[..8]})");
        md.AppendLine();
        if (diff.Datasets.Count == 0)
        {
            md.AppendLine("No dataset changed.");
            return md.ToString();
        }

        md.AppendLine("| dataset | version | added | removed | changed |");
        md.AppendLine("| --- | --- | ---: | ---: | ---: |");
        foreach (var dataset in diff.Datasets)
        {
            var version = dataset.BaseVersion == dataset.HeadVersion
                ? dataset.HeadVersion ?? "–"
                : $"{dataset.BaseVersion ?? "(new)"} → {dataset.HeadVersion ?? "(removed)"}";
            var flag = dataset.Warning is null ? string.Empty : " ⚠️";
            md.AppendLine($"| `{dataset.Path}` | {version}{flag} | {dataset.Added.Count} | {dataset.Removed.Count} | {dataset.Changed.Count} |");
        }

        foreach (var dataset in diff.Datasets)
        {
            md.AppendLine();
            md.AppendLine($"### `{dataset.Path}`");
            if (dataset.Warning is not null)
            {
                md.AppendLine();
                md.AppendLine($"> ⚠️ {dataset.Warning}");
            }

            md.AppendLine();
            foreach (var id in dataset.Added)
            {
                md.AppendLine($"- added `{id}`");
            }

            foreach (var id in dataset.Removed)
            {
                md.AppendLine($"- removed `{id}`");
            }

            foreach (var change in dataset.Changed)
            {
                md.AppendLine($"- changed `{change.Id}`: {string.Join(", ", change.Fields.Select(f => $"`{f}`"))}");
            }
        }

        return md.ToString();
    }
}
