using System.Globalization;
using System.Reflection;
using Flywheel.Evals.Runs;
using Xunit;
using Xunit.Sdk;
using Xunit.v3;

namespace Flywheel.Evals.Xunit;

/// <summary>One theory row per gate of the suite: argument (gate index), named for its cohort and thresholds.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class FlywheelGatesAttribute(string config) : DataAttribute
{
    /// <summary>The suite file, relative to the repository root.</summary>
    public string Config { get; } = config;

    /// <summary>A responses file that replaces the suite's recorded target, relative to the root.</summary>
    public string? Responses { get; set; }

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyCollection<ITheoryDataRow>> GetData(MethodInfo testMethod, DisposalTracker disposalTracker)
    {
        var gates = await SuiteCases.GatesAsync(SuiteLocation.Options(Config, Responses)).ConfigureAwait(false);
        return gates.Select(gate =>
        {
            var thresholds = new List<string>();
            if (gate.MinPassRate is { } min)
            {
                thresholds.Add("min " + (min * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%");
            }

            if (gate.MaxDrop is { } drop)
            {
                thresholds.Add("max drop " + (drop * 100).ToString("0.#", CultureInfo.InvariantCulture) + " pt");
            }

            var evaluator = gate.Evaluator == "*" ? string.Empty : $" [{gate.Evaluator}]";
            return (ITheoryDataRow)new TheoryDataRow<int>(gate.Index)
                .WithTestDisplayName($"gate {gate.Index} · {gate.Cohort}{evaluator} ({string.Join(", ", thresholds)})")
                .WithTrait("gate", gate.Cohort);
        }).ToList();
    }

    /// <inheritdoc />
    public override bool SupportsDiscoveryEnumeration() => true;
}
