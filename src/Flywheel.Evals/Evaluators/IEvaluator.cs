using Flywheel.Evals.Datasets;

namespace Flywheel.Evals.Evaluators;

/// <summary>Turns a row and its response into a score.</summary>
public interface IEvaluator
{
    /// <summary>The evaluator's name in the suite (answer, grounded, tools ...).</summary>
    string Name { get; }

    /// <summary>The evaluator's kind (ground-truth-match, groundedness, tool-selection).</summary>
    string Kind { get; }

    /// <summary>True when the row has what this evaluator needs.</summary>
    bool AppliesTo(Row row);

    /// <summary>Problems in a row that this evaluator would trip over (an answer that is not a valid pattern ...).</summary>
    IEnumerable<string> CheckRow(Row row) => [];

    /// <summary>Scores one response.</summary>
    ValueTask<Score> EvaluateAsync(EvaluationContext context, CancellationToken cancellationToken);
}
