namespace Flywheel.Evals.Evaluators;

/// <summary>The evaluator kinds and their methods.</summary>
public static class EvaluatorKinds
{
    /// <summary>Compares the answer with the expected answers.</summary>
    public const string GroundTruthMatch = "ground-truth-match";
    /// <summary>Checks that every claim of the answer is supported by the context.</summary>
    public const string Groundedness = "groundedness";
    /// <summary>Checks the function calls against the expected calls.</summary>
    public const string ToolSelection = "tool-selection";

    /// <summary>The method every kind offers that asks a judge model.</summary>
    public const string Llm = "llm";

    /// <summary>Every kind.</summary>
    public static IReadOnlyList<string> All { get; } = [GroundTruthMatch, Groundedness, ToolSelection];

    /// <summary>The methods each kind offers, default first.</summary>
    public static IReadOnlyList<string> MethodsOf(string kind) => kind switch
    {
        GroundTruthMatch => ["token-f1", "exact", "numeric", "json", "regex", Llm],
        Groundedness => ["lexical", Llm],
        ToolSelection => ["rules", Llm],
        _ => [],
    };
}
