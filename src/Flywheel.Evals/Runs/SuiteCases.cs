using Flywheel.Evals.Datasets;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Evaluators;
using Flywheel.Evals.Schemas;
using Flywheel.Evals.Suites;

namespace Flywheel.Evals.Runs;

/// <summary>Lists the cases of a suite (row × applicable evaluator) and its gates without scoring: what test discovery shows.</summary>
public static class SuiteCases
{
    /// <summary>Every case, in dataset and row order; the same applicability rule as the run uses.</summary>
    /// <exception cref="FlywheelInputException">The suite or a dataset is wrong.</exception>
    public static async Task<IReadOnlyList<SuiteCase>> ListAsync(RunOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var schemas = await FlywheelSchemas.LoadAsync(cancellationToken).ConfigureAwait(false);
        var suite = await new SuiteLoader(schemas).LoadAsync(options.Config, options.Root, cancellationToken).ConfigureAwait(false);
        var evaluators = suite.Evaluators.Select(EvaluatorFactory.Create).ToList();
        var reader = new DatasetReader(schemas);
        var diagnostics = new DiagnosticBag();
        var cases = new List<SuiteCase>();
        foreach (var reference in suite.Datasets)
        {
            var dataset = await reader.LoadAsync(suite, reference, diagnostics, cancellationToken).ConfigureAwait(false);
            if (dataset is null)
            {
                continue;
            }

            await foreach (var row in reader.ReadRowsAsync(dataset, diagnostics, thorough: false, cancellationToken).ConfigureAwait(false))
            {
                foreach (var evaluator in evaluators.Where(e => e.AppliesTo(row)))
                {
                    cases.Add(new SuiteCase(dataset.Name, row.Id, evaluator.Name, row.Line, row.Tags, row.ReviewStatus));
                }
            }
        }

        diagnostics.ThrowIfErrors();
        return cases;
    }

    /// <summary>The suite's gates as configured (before cohort expansion).</summary>
    public static async Task<IReadOnlyList<GateConfig>> GatesAsync(RunOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var schemas = await FlywheelSchemas.LoadAsync(cancellationToken).ConfigureAwait(false);
        var suite = await new SuiteLoader(schemas).LoadAsync(options.Config, options.Root, cancellationToken).ConfigureAwait(false);
        return suite.Gates;
    }
}
