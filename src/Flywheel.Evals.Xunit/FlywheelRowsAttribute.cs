using System.Reflection;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Runs;
using Xunit;
using Xunit.Sdk;
using Xunit.v3;

namespace Flywheel.Evals.Xunit;

/// <summary>One theory row per dataset row and applicable evaluator: arguments (dataset, id, evaluator), traits for every tag.</summary>
/// <remarks>Discovery only reads the datasets; scoring happens once, when the first case runs (see <see cref="FlywheelSuite"/>).</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class FlywheelRowsAttribute(string config) : DataAttribute
{
    /// <summary>The suite file, relative to the repository root.</summary>
    public string Config { get; } = config;

    /// <summary>A responses file that replaces the suite's recorded target, relative to the root.</summary>
    public string? Responses { get; set; }

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyCollection<ITheoryDataRow>> GetData(MethodInfo testMethod, DisposalTracker disposalTracker)
    {
        var cases = await SuiteCases.ListAsync(SuiteLocation.Options(Config, Responses)).ConfigureAwait(false);
        var rows = new List<ITheoryDataRow>(cases.Count);
        foreach (var @case in cases)
        {
            var row = new TheoryDataRow<string, string, string>(@case.Dataset, @case.Id, @case.Evaluator)
                .WithTestDisplayName($"{@case.Dataset}/{@case.Id} · {@case.Evaluator}")
                .WithTrait("dataset", @case.Dataset)
                .WithTrait("evaluator", @case.Evaluator)
                .WithTrait("review", @case.Review);
            foreach (var (key, value) in @case.Tags)
            {
                row = row.WithTrait(key, value);
            }

            if (@case.Review != ReviewStatuses.Approved)
            {
                row = row.WithSkip($"review {@case.Review}: shown, not gating until a reviewer approves the row");
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <inheritdoc />
    public override bool SupportsDiscoveryEnumeration() => true;
}
