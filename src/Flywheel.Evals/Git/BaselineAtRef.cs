using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Runs;
using Flywheel.Evals.Suites;

namespace Flywheel.Evals.Git;

/// <summary>Builds the baseline from the repository's own objects at a revision: that revision's suite, datasets and recorded responses.</summary>
public static class BaselineAtRef
{
    /// <summary>Runs the suite as it was at the merge base of HEAD and <paramref name="revision"/> and returns it as a baseline.</summary>
    /// <exception cref="FlywheelInputException">Outside git, the revision is missing (shallow clone), or the suite did not exist or was invalid there.</exception>
    public static async Task<Baseline> ComputeAsync(RunOptions options, SuiteConfig suite, string revision, IReadOnlyList<string> cohortKeys, IReadOnlyList<string> evaluators, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(suite);
        var workTree = GitInfo.FindWorkTree(options.Root)
            ?? throw new FlywheelInputException(new Diagnostic("git", 0, 0, DiagnosticCodes.GitProblem, $"--baseline-ref needs a git repository; '{options.Root}' is not in one"));
        var rootInRepo = GitSnapshot.Relative(workTree, options.Root);
        var configInRoot = Path.GetRelativePath(options.Root, suite.FullPath).Replace('\\', '/');
        string InRepo(string relativeToRoot) => rootInRepo == "." ? relativeToRoot : $"{rootInRepo}/{relativeToRoot}";

        // The suite at the base decides which datasets, responses and prompts the baseline reads.
        var atBase = await SuiteAtRevision.LoadAsync(options.Root, suite.FullPath, revision, cancellationToken).ConfigureAwait(false)
            ?? throw new FlywheelInputException(new Diagnostic(suite.Path, 0, 0, DiagnosticCodes.GitProblem,
                $"the suite did not exist at {revision} ({GitSnapshot.ResolveMergeBase(workTree, revision)[..12]}); nothing to compare with — drop --baseline-ref for the first run"));
        var mergeBase = atBase.MergeBase;
        var paths = SuiteAtRevision.ReadPaths(atBase.Suite).Select(InRepo).Append(InRepo(configInRoot)).ToList();
        using var snapshot = GitSnapshot.Export(workTree, mergeBase, revision, paths);
        var baseOptions = new RunOptions
        {
            Root = Path.Combine(snapshot.Root, rootInRepo),
            Config = configInRoot,
            Concurrency = options.Concurrency,
            // The base run's judge answers live in this work tree's cache, not in the throw-away snapshot.
            ModelCalls = options.ModelCalls with { CacheDirectory = options.ModelCalls.CacheDirectory ?? Path.Combine(options.Root, ".flywheel", "cache") },
            Time = options.Time,
            Commit = mergeBase,
        };
        RunResult result;
        try
        {
            result = await SuiteRunner.RunAsync(baseOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (FlywheelInputException ex)
        {
            throw SuiteAtRevision.At(ex.Diagnostics, $"baseline {revision}", mergeBase);
        }

        await using (result)
        {
            if (result.Run.Verdict == Verdicts.Error)
            {
                throw SuiteAtRevision.At(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList(), $"baseline {revision}", mergeBase);
            }

            return Baseline.FromRun(result.Run, $"{revision}@{mergeBase[..12]}", cohortKeys, evaluators, SuiteRunner.LimitsRemovals(suite));
        }
    }
}
