using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Evaluators;
using Flywheel.Evals.Schemas;
using Flywheel.Evals.Suites;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Flywheel.Evals.Git;

/// <summary>A suite as it is at the merge base of HEAD and another revision, read from git's objects (the work tree is never touched) and checked as any suite is.</summary>
public sealed record SuiteAtRevision
{
    /// <summary>The suite at the revision; every <c>llm</c> evaluator carries its prompt's text from there (<see cref="EvaluatorConfig.PromptText"/>).</summary>
    public required SuiteConfig Suite { get; init; }

    /// <summary>What the user asked for (a branch, tag or sha).</summary>
    public required string Revision { get; init; }

    /// <summary>The merge base of HEAD and <see cref="Revision"/>: the commit the suite was read at.</summary>
    public required string MergeBase { get; init; }

    /// <summary>How reports name it: the revision and the first 12 digits of the merge base.</summary>
    public string Display => $"{Revision}@{MergeBase[..12]}";

    /// <summary>The suite file's text at the merge base of HEAD and <paramref name="revision"/>; null when the file does not exist there.</summary>
    /// <exception cref="FlywheelInputException">Outside git, or the revision is not in this clone (FW4002 with the fetch advice).</exception>
    public static string? ReadText(string root, string config, string revision)
    {
        var (workTree, mergeBase) = Resolve(root, revision);
        return GitSnapshot.ReadText(workTree, mergeBase, GitSnapshot.Relative(workTree, Path.GetFullPath(config, root)));
    }

    /// <summary>Loads the suite at the merge base of HEAD and <paramref name="revision"/>, with the judge prompts it names; null when the suite file does not exist there.</summary>
    /// <exception cref="FlywheelInputException">Outside git, the revision is missing, or the suite is invalid there (each diagnostic says so).</exception>
    public static async Task<SuiteAtRevision?> LoadAsync(string root, string config, string revision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(config);
        var (workTree, mergeBase) = Resolve(root, revision);
        var rootInRepo = GitSnapshot.Relative(workTree, root);
        var configInRoot = Path.GetRelativePath(Path.GetFullPath(root), Path.GetFullPath(config, root)).Replace('\\', '/');
        string InRepo(string relativeToRoot) => rootInRepo == "." ? relativeToRoot : $"{rootInRepo}/{relativeToRoot}";
        var text = GitSnapshot.ReadText(workTree, mergeBase, InRepo(configInRoot));
        if (text is null)
        {
            return null;
        }

        // The loader checks that every prompt exists, so the prompts the file may name travel with it.
        var paths = PromptPaths(text).Select(InRepo).Append(InRepo(configInRoot));
        using var snapshot = GitSnapshot.Export(workTree, mergeBase, revision, paths);
        var snapshotRoot = Path.Combine(snapshot.Root, rootInRepo);
        var schemas = await FlywheelSchemas.LoadAsync(cancellationToken).ConfigureAwait(false);
        SuiteConfig suite;
        var evaluators = new List<EvaluatorConfig>();
        try
        {
            suite = await new SuiteLoader(schemas).LoadAsync(configInRoot, snapshotRoot, cancellationToken).ConfigureAwait(false);
            foreach (var evaluator in suite.Evaluators)
            {
                evaluators.Add(evaluator.Prompt is { } prompt
                    ? evaluator with { PromptText = await File.ReadAllTextAsync(suite.Resolve(prompt), cancellationToken).ConfigureAwait(false) }
                    : evaluator);
            }
        }
        catch (FlywheelInputException ex)
        {
            throw At(ex.Diagnostics, revision, mergeBase);
        }

        return new SuiteAtRevision { Suite = suite with { Evaluators = evaluators }, Revision = revision, MergeBase = mergeBase };
    }

    /// <summary>Every file and folder a loaded suite reads besides itself, relative to its root: datasets, recorded responses, judge prompts, the chat target's system prompt.</summary>
    public static IReadOnlyList<string> ReadPaths(SuiteConfig suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        var paths = suite.Datasets.Select(d => d.Path).ToList();
        paths.AddRange(suite.Evaluators.Select(e => e.Prompt).OfType<string>());
        if (suite.Target.Responses is { } responses)
        {
            paths.Add(responses);
        }

        if (suite.Target.SystemPrompt is { } systemPrompt)
        {
            paths.Add(systemPrompt);
        }

        return paths.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Diagnostics of the suite at a revision, each saying where it was read.</summary>
    internal static FlywheelInputException At(IReadOnlyList<Diagnostic> diagnostics, string revision, string sha) =>
        new(diagnostics.Select(d => d with { Message = $"at {revision} ({sha[..12]}): {d.Message}" }).ToList());

    private static (string WorkTree, string MergeBase) Resolve(string root, string revision)
    {
        var workTree = GitInfo.FindWorkTree(root)
            ?? throw new FlywheelInputException(new Diagnostic("git", 0, 0, DiagnosticCodes.GitProblem, $"reading the suite at '{revision}' needs a git repository; '{root}' is not in one"));
        return (workTree, GitSnapshot.ResolveMergeBase(workTree, revision));
    }

    /// <summary>The prompts a suite's text may name (explicit ones, every kind's default, the system prompt), read leniently: the loader reports what is wrong.</summary>
    private static IEnumerable<string> PromptPaths(string text)
    {
        var paths = EvaluatorKinds.All.Select(SuiteLoader.DefaultPrompt).ToList();
        try
        {
            var json = JObject.Parse(text.TrimStart('\uFEFF'), new JsonLoadSettings { CommentHandling = CommentHandling.Ignore });
            paths.AddRange(json.SelectTokens("evaluators[*].prompt").Append(json.SelectToken("target.system_prompt"))
                .OfType<JValue>().Where(v => v.Type == JTokenType.String).Select(v => v.Value<string>()!));
        }
        catch (JsonReaderException)
        {
            // The loader reports the broken file with its line.
        }

        // A path that leaves the root is not exported; the loader then says the prompt does not exist.
        return paths.Where(p => p.Length > 0 && !Path.IsPathRooted(p) && !p.Replace('\\', '/').Split('/').Contains("..", StringComparer.Ordinal));
    }
}
