namespace Flywheel.Evals.Judges;

/// <summary>The judge's system message: the reviewed prompt file followed by the answer's schema. Built once per evaluator.</summary>
public sealed class JudgeInstructions
{
    /// <summary>Creates the instructions of an evaluator.</summary>
    /// <param name="prompt">The prompt file's text.</param>
    /// <param name="schema">The answer's schema.</param>
    public JudgeInstructions(string prompt, JudgeAnswerSchema schema)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
        SystemMessage = $"{prompt.TrimEnd()}\n\nAnswer with one JSON object, and nothing else, that validates against this JSON Schema:\n{schema.Json}\n";
    }

    /// <summary>The answer's schema.</summary>
    public JudgeAnswerSchema Schema { get; }

    /// <summary>The system message sent with every question.</summary>
    public string SystemMessage { get; }
}
