using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Suites;

namespace Flywheel.Evals.Git;

/// <summary>Takes a run's gates, evaluators, judge and endpoints from the suite at another revision (<c>--gates-from</c>), so the change under test cannot relax what judges it.</summary>
public static class GatesAtRef
{
    /// <summary>The suite to run: the trusted settings as they are at the merge base of HEAD and <paramref name="revision"/>, the rest from <paramref name="head"/>, and the list of what <paramref name="head"/> changes.</summary>
    /// <exception cref="FlywheelInputException">Outside git, the revision is missing, or the suite did not exist or was invalid there.</exception>
    public static async Task<TrustedSuite> ComputeAsync(SuiteConfig head, string root, string revision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(head);
        var trusted = await SuiteAtRevision.LoadAsync(root, head.FullPath, revision, cancellationToken).ConfigureAwait(false)
            ?? throw new FlywheelInputException(new Diagnostic(head.Path, 0, 0, DiagnosticCodes.GitProblem,
                $"the suite did not exist at {revision}, so there are no gates to take from it; drop --gates-from for the change that adds the suite"));

        // The head's prompts are read only to say whether they changed.
        var evaluators = new List<EvaluatorConfig>();
        foreach (var evaluator in head.Evaluators)
        {
            var path = evaluator.Prompt is { } prompt ? head.Resolve(prompt) : null;
            evaluators.Add(path is not null && File.Exists(path)
                ? evaluator with { PromptText = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false) }
                : evaluator);
        }

        return TrustedSuite.Merge(trusted.Suite, head with { Evaluators = evaluators }, trusted.Display);
    }
}
