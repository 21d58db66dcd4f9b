namespace Flywheel.Evals.Suites;

/// <summary>One evaluator of a suite: its name, kind, method and settings.</summary>
public sealed record EvaluatorConfig
{
    /// <summary>The name gates and reports use.</summary>
    public required string Name { get; init; }

    /// <summary>ground-truth-match, groundedness or tool-selection.</summary>
    public required string Kind { get; init; }

    /// <summary>The method (token-f1, exact, numeric, json, regex, lexical, rules, llm).</summary>
    public required string Method { get; init; }

    /// <summary>The score at or above which a row passes.</summary>
    public double? Threshold { get; init; }

    /// <summary>For numeric matching: the relative tolerance.</summary>
    public double? Tolerance { get; init; }

    /// <summary>For lexical groundedness: the share of a claim's content words one chunk must hold.</summary>
    public double? MinSupport { get; init; }

    /// <summary>For <c>llm</c> methods: the judge prompt file, relative to the root (default <c>evaluators/prompts/&lt;kind&gt;.md</c>).</summary>
    public string? Prompt { get; init; }

    /// <summary>The judge prompt's text when it was read from git at the revision the gates come from; null to read <see cref="Prompt"/> from disk.</summary>
    public string? PromptText { get; init; }

    /// <summary>Where the evaluator is declared in the suite file.</summary>
    public int Line { get; init; }

    /// <summary>The column of the declaration.</summary>
    public int Column { get; init; }
}
