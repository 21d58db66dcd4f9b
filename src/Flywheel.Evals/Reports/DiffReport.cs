using System.Text;
using System.Text.Json;
using Flywheel.Evals.Git;

namespace Flywheel.Evals.Reports;

/// <summary>Renders a dataset diff as Markdown (for a PR) or JSON (for tools).</summary>
public static class DiffReport
{
    /// <summary>The diff as JSON.</summary>
    public static string Json(DiffResult diff) => JsonSerializer.Serialize(diff, FlywheelJson.Info<DiffResult>(indented: true));

    private const int Chars = 200;

    /// <summary>The diff as Markdown; ids, paths, refs and versions are escaped (see <see cref="MarkdownText"/>).</summary>
    public static string Markdown(DiffResult diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var md = new StringBuilder();
        md.AppendLine($"## Dataset changes: {Code(diff.Base)} ({diff.BaseCommit[..8]}) → {Code(diff.Head)} ({diff.HeadCommit[..8]})");
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
                ? Text(dataset.HeadVersion ?? "–")
                : $"{Text(dataset.BaseVersion ?? "(new)")} → {Text(dataset.HeadVersion ?? "(removed)")}";
            var flag = dataset.Warning is null ? string.Empty : " ⚠️";
            md.AppendLine($"| {MarkdownText.Code(dataset.Path, Chars, inTable: true)} | {version}{flag} | {dataset.Added.Count} | {dataset.Removed.Count} | {dataset.Changed.Count} |");
        }

        foreach (var dataset in diff.Datasets)
        {
            md.AppendLine();
            md.AppendLine($"### {Code(dataset.Path)}");
            if (dataset.Warning is not null)
            {
                md.AppendLine();
                md.AppendLine($"> ⚠️ {MarkdownText.Text(dataset.Warning, 2_000)}");
            }

            md.AppendLine();
            foreach (var id in dataset.Added)
            {
                md.AppendLine($"- added {Code(id)}");
            }

            foreach (var id in dataset.Removed)
            {
                md.AppendLine($"- removed {Code(id)}");
            }

            foreach (var change in dataset.Changed)
            {
                md.AppendLine($"- changed {Code(change.Id)}: {string.Join(", ", change.Fields.Select(Code))}");
            }
        }

        return md.ToString();
    }

    private static string Code(string text) => MarkdownText.Code(text, Chars, inTable: false);

    private static string Text(string text) => MarkdownText.Text(text, Chars);
}
