using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Runs;
using Flywheel.Evals.Suites;
using Microsoft.Build.Framework;

namespace Flywheel.Build.Tasks.Validation;

/// <summary>Checks each suite, its datasets and its responses, as <c>flywheel validate</c> does; every problem becomes an MSBuild error or warning at its file, line and column.</summary>
public sealed class ValidateFlywheelSuites : FlywheelTask
{
    /// <summary>The FlywheelSuite items; metadata <c>Responses</c> overrides the suite's recorded responses.</summary>
    [Required]
    public ITaskItem[] Suites { get; set; } = [];

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var root = ResolveRoot();
        foreach (var item in Suites)
        {
            var suitePath = Path.GetFullPath(item.ItemSpec, ProjectDirectory);
            var options = new RunOptions { Root = root, Config = suitePath, Responses = FromProject(item.GetMetadata("Responses")) };
            var diagnostics = await SuiteRunner.ValidateAsync(options, cancellationToken).ConfigureAwait(false);
            Diagnostics.Log(diagnostics, root);
            var errors = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
            var display = SuiteLoader.DisplayPath(suitePath, root);
            if (errors == 0)
            {
                Log.LogMessage(MessageImportance.Normal, "{0}", $"Flywheel: validated {display}: valid ({Plural(diagnostics.Count, "warning")})");
            }
            else
            {
                Log.LogMessage(MessageImportance.High, "{0}", $"Flywheel: {display}: {Plural(errors, "error")}");
            }
        }
    }

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
