using Flywheel.Evals.Datasets;
using Flywheel.Evals.Targets;

namespace Flywheel.Evals.Evaluators;

/// <summary>What an evaluator sees: the dataset, the row and the response to it.</summary>
public sealed record EvaluationContext(string Dataset, Row Row, Response Response);
