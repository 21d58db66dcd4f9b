using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Schemas;
using Flywheel.Evals.Suites;
using Microsoft.Build.Framework;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace Flywheel.Build.Tasks.Validation;

/// <summary>Lists the files a validation reads (each suite, its datasets' manifests and rows, its responses) so FlywheelValidate can be skipped when none changed.</summary>
public sealed class ResolveFlywheelInputs : FlywheelTask
{
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
        var schemas = await FlywheelSchemas.LoadAsync(cancellationToken).ConfigureAwait(false);
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var item in Suites)
        {
            var suitePath = Path.GetFullPath(item.ItemSpec, ProjectDirectory);
            files.Add(suitePath);
            if (FromProject(item.GetMetadata("Responses")) is { } responses)
            {
                files.Add(responses);
            }

            SuiteConfig suite;
            try
            {
                suite = await new SuiteLoader(schemas).LoadAsync(suitePath, root, cancellationToken).ConfigureAwait(false);
            }
            catch (FlywheelInputException)
            {
                // The suite itself is the only input we can name; FlywheelValidate runs and reports what is wrong with it.
                continue;
            }

            foreach (var dataset in suite.Datasets)
            {
                var folder = suite.Resolve(dataset.Path);
                files.Add(Path.Combine(folder, "dataset.json"));
                files.Add(Path.Combine(folder, "rows.jsonl"));
            }

            if (string.IsNullOrWhiteSpace(item.GetMetadata("Responses")) && suite.Target.Responses is { } recorded)
            {
                files.Add(suite.Resolve(recorded));
            }
        }

        Inputs = files.Select(f => (ITaskItem)new TaskItem(f)).ToArray();
    }
}
