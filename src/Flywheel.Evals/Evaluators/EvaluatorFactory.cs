using Flywheel.Evals.Suites;

namespace Flywheel.Evals.Evaluators;

/// <summary>Builds the evaluator a suite entry describes.</summary>
public static class EvaluatorFactory
{
    /// <summary>Creates the evaluator for a checked suite entry.</summary>
    public static IEvaluator Create(EvaluatorConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Kind switch
        {
            EvaluatorKinds.GroundTruthMatch => new GroundTruthMatchEvaluator(config),
            EvaluatorKinds.Groundedness => new GroundednessEvaluator(config),
            EvaluatorKinds.ToolSelection => new ToolSelectionEvaluator(config),
            _ => throw new ArgumentException($"unknown evaluator kind '{config.Kind}'", nameof(config)),
        };
    }
}
