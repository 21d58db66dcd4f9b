using Flywheel.Evals.Judges;
using Flywheel.Evals.Suites;

namespace Flywheel.Evals.Evaluators;

/// <summary>Builds the evaluator a suite entry describes.</summary>
public static class EvaluatorFactory
{
    /// <summary>Creates the evaluator for a checked suite entry; an <c>llm</c> entry gets no judge (enough to list cases, not to score).</summary>
    public static IEvaluator Create(EvaluatorConfig config) => Create(config, judge: null, prompt: null);

    /// <summary>Creates the evaluator for a checked suite entry; <c>llm</c> methods ask <paramref name="judge"/> with the prompt file's text.</summary>
    public static IEvaluator Create(EvaluatorConfig config, Judge? judge, string? prompt)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Method == EvaluatorKinds.Llm)
        {
            return config.Kind switch
            {
                EvaluatorKinds.GroundTruthMatch => new LlmGroundTruthMatchEvaluator(config, judge, prompt ?? string.Empty),
                EvaluatorKinds.Groundedness => new LlmGroundednessEvaluator(config, judge, prompt ?? string.Empty),
                EvaluatorKinds.ToolSelection => new LlmToolSelectionEvaluator(config, judge, prompt ?? string.Empty),
                _ => throw new ArgumentException($"unknown evaluator kind '{config.Kind}'", nameof(config)),
            };
        }

        return config.Kind switch
        {
            EvaluatorKinds.GroundTruthMatch => new GroundTruthMatchEvaluator(config),
            EvaluatorKinds.Groundedness => new GroundednessEvaluator(config),
            EvaluatorKinds.ToolSelection => new ToolSelectionEvaluator(config),
            _ => throw new ArgumentException($"unknown evaluator kind '{config.Kind}'", nameof(config)),
        };
    }
}
