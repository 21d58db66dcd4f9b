using System.Globalization;
using System.Text;
using System.Text.Json;
using Flywheel.Evals.Diagnostics;
using LibGit2Sharp;

namespace Flywheel.Evals.Git;

/// <summary>Compares the datasets of two revisions straight from git's objects: rows added, removed and changed, and version bumps.</summary>
public static class DatasetDiffer
{
    /// <summary>Diffs every folder holding a dataset.json under <paramref name="datasetsFolder"/> between two revisions.</summary>
    /// <exception cref="FlywheelInputException">A revision is not in this clone.</exception>
    public static DiffResult Compute(string workTree, string baseRevision, string headRevision = "HEAD", string datasetsFolder = "datasets")
    {
        using var repository = GitSnapshot.Open(workTree);
        var baseCommit = GitSnapshot.Lookup(repository, baseRevision);
        var headCommit = GitSnapshot.Lookup(repository, headRevision);
        var folders = DatasetFolders(baseCommit, datasetsFolder).Union(DatasetFolders(headCommit, datasetsFolder)).Order(StringComparer.Ordinal);
        var diffs = new List<DatasetDiff>();
        foreach (var folder in folders)
        {
            var diff = Diff(folder, baseCommit, headCommit);
            if (!diff.IsEmpty)
            {
                diffs.Add(diff);
            }
        }

        return new DiffResult(baseRevision, baseCommit.Sha, headRevision, headCommit.Sha, diffs);
    }

    private static DatasetDiff Diff(string folder, Commit baseCommit, Commit headCommit)
    {
        var before = Rows(baseCommit, folder + "/rows.jsonl");
        var after = Rows(headCommit, folder + "/rows.jsonl");
        var added = after.Keys.Where(id => !before.ContainsKey(id)).Order(StringComparer.Ordinal).ToList();
        var removed = before.Keys.Where(id => !after.ContainsKey(id)).Order(StringComparer.Ordinal).ToList();
        var changed = new List<RowChange>();
        foreach (var (id, head) in after.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (before.TryGetValue(id, out var old) && !JsonElement.DeepEquals(old, head))
            {
                changed.Add(new RowChange(id, ChangedFields(old, head)));
            }
        }

        var baseVersion = Version(baseCommit, folder);
        var headVersion = Version(headCommit, folder);
        string? warning = null;
        var rowsChanged = added.Count + removed.Count + changed.Count > 0;
        if (rowsChanged && baseVersion is not null && headVersion is not null)
        {
            var order = CompareVersions(baseVersion, headVersion);
            warning = order == 0
                ? $"rows changed but the version stayed {headVersion}: bump it in {folder}/dataset.json"
                : order > 0 ? $"the version went down from {baseVersion} to {headVersion}" : null;
        }

        return new DatasetDiff { Path = folder, BaseVersion = baseVersion, HeadVersion = headVersion, Added = added, Removed = removed, Changed = changed, Warning = warning };
    }

    private static IEnumerable<string> DatasetFolders(Commit commit, string datasetsFolder)
    {
        if (commit[datasetsFolder]?.Target is not Tree tree)
        {
            yield break;
        }

        foreach (var entry in tree)
        {
            if (entry.Target is Tree folder && folder["dataset.json"] is not null)
            {
                yield return $"{datasetsFolder}/{entry.Name}";
            }
        }
    }

    private static Dictionary<string, JsonElement> Rows(Commit commit, string path)
    {
        var rows = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (commit[path]?.Target is not Blob blob)
        {
            return rows;
        }

        // The blob as committed, not through git's filters: line ends are the only thing a filter could change in a JSONL
        // file and ReadLine takes both; and the filtered read comes back through a buffer an ahead-of-time compiled program
        // never sees written (libgit2/libgit2sharp#2187), which made the native flywheel crash on diff.
        using var reader = new StringReader(blob.GetContentText(Encoding.UTF8).TrimStart('\uFEFF'));
        while (reader.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var document = StrictJson.Parse(Encoding.UTF8.GetBytes(line));
                if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                {
                    rows[id.GetString()!] = document.RootElement.Clone();
                }
            }
            catch (JsonException)
            {
                // A malformed (or not strictly valid) line is validate's business; the diff shows what it can read.
            }
        }

        return rows;
    }

    private static IReadOnlyList<string> ChangedFields(JsonElement before, JsonElement after)
    {
        var names = before.EnumerateObject().Select(p => p.Name).Union(after.EnumerateObject().Select(p => p.Name)).Order(StringComparer.Ordinal);
        return names.Where(name =>
        {
            var had = before.TryGetProperty(name, out var left);
            var has = after.TryGetProperty(name, out var right);
            return had != has || (had && !JsonElement.DeepEquals(left, right));
        }).ToList();
    }

    private static string? Version(Commit commit, string folder)
    {
        if (commit[folder + "/dataset.json"]?.Target is not Blob blob)
        {
            return null;
        }

        try
        {
            using var document = StrictJson.Parse(Encoding.UTF8.GetBytes(blob.GetContentText()), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.String
                ? version.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Compares two semantic versions by major.minor.patch (a pre-release sorts before its release).</summary>
    public static int CompareVersions(string left, string right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        static (int[] Parts, string Pre) Parse(string v)
        {
            var core = v.Split('+')[0];
            var dash = core.IndexOf('-', StringComparison.Ordinal);
            var pre = dash >= 0 ? core[(dash + 1)..] : string.Empty;
            var numbers = (dash >= 0 ? core[..dash] : core).Split('.').Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).ToArray();
            return (numbers, pre);
        }

        var (a, aPre) = Parse(left);
        var (b, bPre) = Parse(right);
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var x = i < a.Length ? a[i] : 0;
            var y = i < b.Length ? b[i] : 0;
            if (x != y)
            {
                return x.CompareTo(y);
            }
        }

        if (aPre.Length == 0 || bPre.Length == 0)
        {
            return bPre.Length.CompareTo(aPre.Length);
        }

        return string.CompareOrdinal(aPre, bPre);
    }
}
