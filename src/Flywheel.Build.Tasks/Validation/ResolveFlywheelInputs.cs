using System.Text.Json;
using Microsoft.Build.Framework;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace Flywheel.Build.Tasks.Validation;

/// <summary>Lists the files a validation reads (each suite, its datasets' manifests and rows, its responses) so FlywheelValidate can be skipped when none changed.</summary>
/// <remarks>
/// This runs on every build, so it only reads the suite's paths and checks nothing: a suite it cannot read contributes
/// itself alone, and FlywheelValidate (which runs whenever the suite changes) reports what is wrong with it.
/// </remarks>
public sealed class ResolveFlywheelInputs : FlywheelTask
{
    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>The FlywheelSuite items; metadata <c>Responses</c> overrides the suite's recorded responses.</summary>
    [Required]
    public ITaskItem[] Suites { get; set; } = [];

    /// <summary>Every file the validation depends on, full paths.</summary>
    [Output]
    public ITaskItem[] Inputs { get; private set; } = [];

    /// <summary>The root the suites resolve against, for the tasks that follow.</summary>
    [Output]
    public string? ResolvedRoot { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var root = ResolveRoot();
        ResolvedRoot = root;
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var item in Suites)
        {
            var suitePath = Path.GetFullPath(item.ItemSpec, ProjectDirectory);
            files.Add(suitePath);
            var responses = FromProject(item.GetMetadata("Responses"));
            if (responses is not null)
            {
                files.Add(responses);
            }

            var (datasets, recorded) = await ReadPathsAsync(suitePath, cancellationToken).ConfigureAwait(false);
            foreach (var dataset in datasets)
            {
                // Resolved as the engine's SuiteConfig.Resolve does: against the root.
                var folder = Path.GetFullPath(Path.Combine(root, dataset));
                files.Add(Path.Combine(folder, "dataset.json"));
                files.Add(Path.Combine(folder, "rows.jsonl"));
            }

            if (responses is null && recorded is not null)
            {
                files.Add(Path.GetFullPath(Path.Combine(root, recorded)));
            }
        }

        Inputs = files.Select(f => (ITaskItem)new TaskItem(f)).ToArray();
    }

    private static async Task<(List<string> Datasets, string? Responses)> ReadPathsAsync(string suitePath, CancellationToken cancellationToken)
    {
        var datasets = new List<string>();
        try
        {
            var stream = File.OpenRead(suitePath);
            await using (stream.ConfigureAwait(false))
            {
                using var suite = await JsonDocument.ParseAsync(stream, Lenient, cancellationToken).ConfigureAwait(false);
                if (suite.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return (datasets, null);
                }

                if (suite.RootElement.TryGetProperty("datasets", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    datasets.AddRange(list.EnumerateArray().Where(d => d.ValueKind == JsonValueKind.String).Select(d => d.GetString()!));
                }

                var responses = suite.RootElement.TryGetProperty("target", out var target) && target.ValueKind == JsonValueKind.Object
                    && target.TryGetProperty("responses", out var path) && path.ValueKind == JsonValueKind.String
                        ? path.GetString()
                        : null;
                return (datasets, responses);
            }
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return (datasets, null);
        }
    }
}
