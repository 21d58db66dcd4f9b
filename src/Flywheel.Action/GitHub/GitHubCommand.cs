using System.Globalization;
using System.Text;
using System.Text.Json;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Files;
using Flywheel.Evals.Git;
using Flywheel.Evals.Reports;
using Flywheel.Evals.Runs;
using Flywheel.Evals.Suites;

namespace Flywheel.Action.GitHub;

/// <summary><c>flywheel github</c>: the Action's entry point. Runs the gate as <c>gate</c> does, then speaks the runner's language: annotations, job summary, step outputs, the sticky pull request comment, and an exit code per <c>fail-on</c>.</summary>
internal static class GitHubCommand
{
    /// <summary>GitHub refuses a step summary above 1 MiB.</summary>
    internal const int MaxSummaryBytes = 1 << 20;

    /// <summary>Room kept in the summary for its last lines: the notes and whether a comment was posted.</summary>
    private const int SummaryFooterBytes = 8 * 1024;
    private const int LinksRoom = 1024;

    /// <summary>Input errors listed in the report; the log has them all.</summary>

    /// <summary>The model-answer cache under RUNNER_TEMP, which action.yml restores and saves with actions/cache.</summary>
    /// <remarks>Not <c>.flywheel/cache</c> in the checkout: a pull request could commit answers there and so pick its judge's verdicts.</remarks>
    public const string CacheFolder = "flywheel-cache";

    /// <summary>Runs the Action; returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyDictionary<string, string> variables, TextWriter stdout, TextWriter stderr, string currentDirectory, CancellationToken cancellationToken)
    {
        // Masks go out before anything else, so no later line (ours, the engine's, a library's) can show a key.
        var masked = GitHubEnvironment.SecretsIn(variables);
        await MaskAsync(masked, stdout, cancellationToken).ConfigureAwait(false);
        GitHubEnvironment? read = null;
        PullRequestEvent? pullRequest = null;
        FlywheelInputException? unusable = null;
        try
        {
            read = GitHubEnvironment.Read(variables, currentDirectory);
            pullRequest = await ReadEventAsync(read, cancellationToken).ConfigureAwait(false);
        }
        catch (FlywheelInputException ex)
        {
            unusable = ex;
        }

        if (read is not null)
        {
            // Every variable a suite names as a key, at the head and where the gates and baseline come from, whatever the suite's fate.
            await MaskAsync(GitHubEnvironment.ValuesOf(variables, KeyVariableNames(read, pullRequest)).Except(masked, StringComparer.Ordinal), stdout, cancellationToken).ConfigureAwait(false);
        }

        var annotations = new AnnotationBudget();
        if (unusable is not null)
        {
            await ReportInputErrorsAsync(unusable.Diagnostics, annotations, stderr, workspace: null, root: null).ConfigureAwait(false);
            await annotations.WriteAsync(stdout, alsoIn: null).ConfigureAwait(false);
            return 2;
        }

        var env = read!;
        if (env.EventName == "pull_request_target" && pullRequest is { IsFork: true } && !env.AllowUntrustedHead)
        {
            var refusal = new Diagnostic("flywheel", 0, 0, DiagnosticCodes.UntrustedHead,
                $"refusing to run: this is a pull_request_target workflow, which holds this repository's write token and secrets, and pull request #{pullRequest.Number} comes from '{pullRequest.HeadRepository ?? "a deleted fork"}'. "
                + "Reading that fork's files (rows, responses, prompts) in such a job is what lets an outside pull request reach the secrets. Run Flywheel on 'pull_request' (forks get a read-only token, and the gate still runs), "
                + "or set 'allow-untrusted-head: true' if this workflow checks out only the base");
            await ReportInputErrorsAsync([refusal], annotations, stderr, env.Workspace, root: null).ConfigureAwait(false);
            await annotations.WriteAsync(stdout, alsoIn: null).ConfigureAwait(false);
            if (env.StepSummary is { } refusedSummary)
            {
                await File.AppendAllTextAsync(refusedSummary, MarkdownReport.RenderInputErrors([refusal], int.MaxValue, MaxSummaryBytes), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            }

            if (env.OutputPath is { } refusedOutputs)
            {
                var refused = new GitHubOutputs();
                SetErrorOutputs(refused);
                await refused.AppendToAsync(refusedOutputs, cancellationToken).ConfigureAwait(false);
            }

            return 2;
        }

        var root = SafeWorkTree(env.Workspace) ?? env.Workspace;
        var config = Path.GetFullPath(env.Config, env.Workspace);
        var configDisplay = SuiteLoader.DisplayPath(config, root);
        var key = env.CommentKey ?? configDisplay;
        var outDir = env.RunnerTemp is { } temp
            ? Path.Combine(temp, "flywheel", Slug(key))
            : Path.Combine(root, ".flywheel", "out");
        var reportPath = Path.Combine(outDir, new MarkdownReport().FileName!);
        var artifact = ArtifactName(key);
        var outputs = new GitHubOutputs();
        outputs.Set("artifact-name", artifact);
        var notes = new List<string>();
        var runPath = Path.Combine(outDir, RunOutputs.RunFileName);
        var alsoIn = env.UploadArtifact ? $"run.json of the workflow artifact '{artifact}'" : null;

        // The report is rendered for each place it goes, with as much detail as that place holds: the comment (one
        // GitHub comment, the marker line included) and the job summary (1 MiB, its footer included).
        var marker = StickyComment.MarkerFor(key);
        // Room is kept for the footer that links to the workflow run and the artifact (a URL and the artifact's name).
        var commentChars = Math.Max(MarkdownReport.MinMaxChars, StickyComment.MaxBodyLength - marker.Length - 1 - LinksRoom);
        const long SummaryBytes = MaxSummaryBytes - SummaryFooterBytes;
        string markdown;
        string? summary = null;
        int exitCode;
        var wroteRun = false;
        try
        {
            var baselineRef = ChooseBaseline(env, pullRequest, root, config, notes);
            var gatesFrom = ChooseGatesFrom(env, pullRequest, root, config, notes);
            var models = new Evals.Chat.ModelCallOptions
            {
                MaxCalls = env.MaxCalls,
                ReadCache = !env.NoCache,
                CacheDirectory = env.RunnerTemp is { } runnerTemp ? Path.Combine(runnerTemp, CacheFolder) : null,
            };
            var options = new RunOptions
            {
                Root = root,
                Config = config,
                Responses = env.Responses is { } responses ? Path.GetFullPath(responses, env.Workspace) : null,
                BaselineRef = baselineRef,
                GatesFrom = gatesFrom,
                ModelCalls = models,
            };
            if (env.Concurrency is { } concurrency)
            {
                // One number for both, as gate --concurrency: rows scored at once and model calls in flight.
                options = options with { Concurrency = concurrency, ModelCalls = models with { Concurrency = concurrency } };
            }

            await using var result = await SuiteRunner.RunAsync(options, cancellationToken).ConfigureAwait(false);
            var run = result.Run;
            await ReportDiagnosticsAsync(result.Diagnostics, annotations, stderr, env.Workspace, root).ConfigureAwait(false);

            await RunOutputs.WriteAsync(run, outDir, [new HtmlReport()], cancellationToken).ConfigureAwait(false);
            wroteRun = true;
            markdown = MarkdownReport.Render(run, commentChars);
            if (env.StepSummary is not null)
            {
                summary = MarkdownReport.Render(run, int.MaxValue, SummaryBytes);
            }

            var htmlPath = Path.Combine(outDir, new HtmlReport().FileName!);

            // The console report quotes rows and responses; with commands stopped no such text can act as a workflow command.
            var resume = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            await stdout.WriteLineAsync(WorkflowCommands.StopCommands(resume)).ConfigureAwait(false);
            await new ConsoleReport().WriteAsync(run, stdout, cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync(WorkflowCommands.ResumeCommands(resume)).ConfigureAwait(false);
            Annotate(run, annotations, env.Workspace, root);

            exitCode = ExitCode(run, env.FailOn);
            outputs.Set("verdict", run.Verdict);
            outputs.Set("run-json", runPath);
            outputs.Set("report-html", htmlPath);
            outputs.Set("failed-gates", FailedGates(run));
            outputs.Set("regressions", run.Regressions.Select(r => (r.Dataset, r.Id)).Distinct().Count().ToString(CultureInfo.InvariantCulture));
        }
        catch (FlywheelInputException ex)
        {
            await ReportInputErrorsAsync(ex.Diagnostics, annotations, stderr, env.Workspace, root).ConfigureAwait(false);
            markdown = MarkdownReport.RenderInputErrors(ex.Diagnostics, commentChars);
            summary = MarkdownReport.RenderInputErrors(ex.Diagnostics, int.MaxValue, SummaryBytes);
            exitCode = 2;
            SetErrorOutputs(outputs);
        }

        // The report is the text of the summary and the comment (the run's or the input errors'), so it is written here, once.
        await AtomicFile.WriteAllTextAsync(reportPath, markdown, cancellationToken).ConfigureAwait(false);
        outputs.Set("report-md", reportPath);

        var links = Links(env, artifact, wroteRun);
        var comment = await CommentAsync(env, pullRequest, marker, markdown, links, cancellationToken).ConfigureAwait(false);
        outputs.Set("comment-url", comment.Url ?? string.Empty);
        if (comment.Outcome == StickyCommentResult.Failed)
        {
            annotations.Warning($"Flywheel could not post the pull request comment: {comment.Explanation}. The verdict still decides this check.", title: "Flywheel comment", important: true);
        }
        else
        {
            await stdout.WriteLineAsync($"flywheel: pull request comment {comment.Outcome}: {comment.Explanation}").ConfigureAwait(false);
        }

        await annotations.WriteAsync(stdout, alsoIn).ConfigureAwait(false);
        if (env.StepSummary is { } summaryPath)
        {
            await File.AppendAllTextAsync(summaryPath, (summary ?? markdown) + Footer(comment, notes, links), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        }

        if (env.OutputPath is { } outputPath)
        {
            await outputs.AppendToAsync(outputPath, cancellationToken).ConfigureAwait(false);
        }

        await stdout.WriteLineAsync($"flywheel: fail-on {env.FailOn.ToString().ToLowerInvariant()}; exit code {exitCode}").ConfigureAwait(false);
        return exitCode;
    }

    /// <summary>The outputs of a run that gave no verdict: action.yml then uploads nothing and the last step exits 2.</summary>
    private static void SetErrorOutputs(GitHubOutputs outputs)
    {
        outputs.Set("verdict", Verdicts.Error);
        outputs.Set("run-json", string.Empty);
        outputs.Set("report-html", string.Empty);
        outputs.Set("failed-gates", "[]");
        outputs.Set("regressions", "0");
        outputs.Set("comment-url", string.Empty);
    }

    /// <summary>The workflow artifact action.yml uploads for a comment key: unique per key, so matrix legs do not collide.</summary>
    internal static string ArtifactName(string key) => "flywheel-" + Slug(key);

    /// <summary>The exit code: an error is always 2; otherwise <c>fail-on</c> decides (see README, "GitHub Action").</summary>
    internal static int ExitCode(Run run, FailOn failOn) => run.Verdict switch
    {
        Verdicts.Passed or Verdicts.Failed when failOn == FailOn.Never => 0,
        Verdicts.Failed => 1,
        Verdicts.Passed when failOn == FailOn.Regression && run.Regressions.Count > 0 => 1,
        Verdicts.Passed => 0,
        _ => 2,
    };

    private static async Task<PullRequestEvent?> ReadEventAsync(GitHubEnvironment env, CancellationToken cancellationToken)
    {
        if (env.EventPath is not { } path)
        {
            return null;
        }

        if (!File.Exists(path))
        {
            throw new FlywheelInputException(new Diagnostic(path, 0, 0, DiagnosticCodes.GitHubEnvironment, "the event payload named by GITHUB_EVENT_PATH does not exist"));
        }

        try
        {
            return PullRequestEvent.Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false));
        }
        catch (FormatException ex)
        {
            throw new FlywheelInputException(new Diagnostic(path, 0, 0, DiagnosticCodes.GitHubEnvironment, $"the {env.EventName ?? "event"} payload is unusable: {ex.Message}"));
        }
    }

    /// <summary>The explicit <c>baseline-ref</c>, else the pull request's base; none on the pull request that adds the suite.</summary>
    private static string? ChooseBaseline(GitHubEnvironment env, PullRequestEvent? pullRequest, string root, string config, List<string> notes)
    {
        if (env.NoBaseline)
        {
            notes.Add("No baseline: `baseline-ref` is `none`, so `max_drop` gates are skipped and no regressions are listed.");
            return null;
        }

        if (env.BaselineRef is { } explicitRef)
        {
            return explicitRef;
        }

        if (pullRequest is null)
        {
            notes.Add($"No baseline: the workflow was started by `{env.EventName ?? "an event"}`, not a pull request; set `baseline-ref` to compare with a branch.");
            return null;
        }

        if (!SuiteExistsAtBase(root, config, pullRequest))
        {
            notes.Add("No baseline: the suite does not exist at the base; this pull request introduces it. The next pull request is compared with it.");
            return null;
        }

        return pullRequest.BaseSha;
    }

    /// <summary>False when the suite is absent at the merge base with the pull request's base (the pull request adds it).</summary>
    /// <exception cref="FlywheelInputException">No checkout, or a shallow one without the base (FW4002 with the fetch advice: an honest error, not a silent run without baseline or trusted gates).</exception>
    private static bool SuiteExistsAtBase(string root, string config, PullRequestEvent pullRequest)
    {
        _ = GitInfo.FindWorkTree(root) ?? throw new FlywheelInputException(new Diagnostic(root, 0, 0, DiagnosticCodes.GitProblem, "the workspace is not a git checkout; add actions/checkout before Flywheel"));
        return SuiteAtRevision.ReadText(root, config, pullRequest.BaseSha) is not null;
    }

    /// <summary>On a pull request under <c>trust: base</c>, the base: the change under test does not get to set its own gates or where keys go.</summary>
    private static string? ChooseGatesFrom(GitHubEnvironment env, PullRequestEvent? pullRequest, string root, string config, List<string> notes)
    {
        if (pullRequest is null)
        {
            // A push or a manual run gates a commit that is already on its branch: its suite is the trusted one.
            return null;
        }

        if (!env.TrustBase)
        {
            notes.Add("`trust: head`: this pull request's own gates, evaluators, judge and endpoints decided the verdict, and API keys went to its endpoints.");
            return null;
        }

        if (!SuiteExistsAtBase(root, config, pullRequest))
        {
            notes.Add("The suite does not exist at the base: this pull request introduces it, so its own gates decided the verdict.");
            return null;
        }

        return pullRequest.BaseSha;
    }

    /// <summary>The variables every suite involved names in <c>api_key_env</c>: the head's, and the base's and baseline's (whose judge runs too).</summary>
    private static IEnumerable<string> KeyVariableNames(GitHubEnvironment env, PullRequestEvent? pullRequest)
    {
        var root = SafeWorkTree(env.Workspace) ?? env.Workspace;
        var config = Path.GetFullPath(env.Config, env.Workspace);
        var names = new List<string>();
        try
        {
            if (File.Exists(config))
            {
                names.AddRange(ApiKeyVariables.NamesIn(File.ReadAllText(config)));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The run reports the unreadable suite; nothing was read, so nothing needs masking.
        }

        foreach (var revision in new[] { pullRequest?.BaseSha, env.BaselineRef }.OfType<string>())
        {
            try
            {
                names.AddRange(ApiKeyVariables.NamesIn(SuiteAtRevision.ReadText(root, config, revision)));
            }
            catch (Exception ex) when (ex is FlywheelInputException or LibGit2Sharp.LibGit2SharpException)
            {
                // A revision this clone lacks is reported by the run with the fetch advice.
            }
        }

        return names.Distinct(StringComparer.Ordinal);
    }

    private static async Task MaskAsync(IEnumerable<string> secrets, TextWriter stdout, CancellationToken cancellationToken)
    {
        foreach (var secret in secrets)
        {
            foreach (var line in secret.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                await stdout.WriteLineAsync(WorkflowCommands.AddMask(line)).ConfigureAwait(false);
            }
        }

        await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Blocking gates first, then regressions, then gates that only warn: GitHub shows the first ten of each kind.</summary>
    private static void Annotate(Run run, AnnotationBudget annotations, string workspace, string root)
    {
        var config = run.Config is null ? null : InWorkspace(run.Config, workspace, root);
        var failed = run.Gates.Where(g => g.Status is GateStatuses.Failed or GateStatuses.Insufficient).ToList();
        foreach (var gate in failed.Where(g => g.Blocking))
        {
            annotations.Error(GateMessage(run, gate), config, gate.Line, title: GateTitle(gate));
        }

        var rowsFiles = run.Datasets.ToDictionary(d => d.Name, d => d.Path is null ? null : InWorkspace(d.Path.TrimEnd('/') + "/rows.jsonl", workspace, root), StringComparer.Ordinal);
        foreach (var regression in run.Regressions)
        {
            var file = rowsFiles.GetValueOrDefault(regression.Dataset);
            var message = $"Row '{regression.Id}' passed on the baseline and fails now ({regression.Evaluator}): {regression.Reason}";
            annotations.Error(message, file, regression.Line, title: $"Flywheel regression: {regression.Dataset}/{regression.Id}");
        }

        foreach (var gate in failed.Where(g => !g.Blocking))
        {
            annotations.Warning(GateMessage(run, gate), config, gate.Line, title: GateTitle(gate) + " (warning only)");
        }
    }

    private static string GateMessage(Run run, GateResult gate)
    {
        var rows = ReportText.FailingRows(run, gate, 3).Select(r => r.Id).ToList();
        return rows.Count == 0 ? gate.Message : $"{gate.Message}; first failing rows: {string.Join(", ", rows)}";
    }

    private static string GateTitle(GateResult gate) => $"Flywheel gate {gate.Status}: {gate.Cohort}{(gate.Evaluator == "*" ? string.Empty : $" ({gate.Evaluator})")}";

    private static async Task ReportDiagnosticsAsync(IEnumerable<Diagnostic> diagnostics, AnnotationBudget annotations, TextWriter stderr, string? workspace, string? root)
    {
        foreach (var diagnostic in diagnostics)
        {
            await stderr.WriteLineAsync(diagnostic.ToString()).ConfigureAwait(false);
            var file = workspace is null || root is null || diagnostic.Line <= 0 ? null : InWorkspace(diagnostic.Path, workspace, root);
            var message = diagnostic.Line > 0 || file is not null ? $"{diagnostic.Code}: {diagnostic.Message}" : $"{diagnostic.Path}: {diagnostic.Code}: {diagnostic.Message}";
            var title = $"Flywheel {diagnostic.Code}";

            // An input problem explains an exit 2 better than any gate: it goes first.
            if (diagnostic.Severity == DiagnosticSeverity.Error)
            {
                annotations.Error(message, file, diagnostic.Line, diagnostic.Column, title, important: true);
            }
            else
            {
                annotations.Warning(message, file, diagnostic.Line, diagnostic.Column, title);
            }
        }
    }

    private static async Task ReportInputErrorsAsync(IReadOnlyList<Diagnostic> diagnostics, AnnotationBudget annotations, TextWriter stderr, string? workspace, string? root)
    {
        await ReportDiagnosticsAsync(diagnostics, annotations, stderr, workspace, root).ConfigureAwait(false);
        await stderr.WriteLineAsync($"flywheel: {diagnostics.Count} input error(s); exit code 2").ConfigureAwait(false);
    }

    /// <summary>Where the full report lives: the run's page and, when uploaded, the artifact; null outside a runner.</summary>
    private static string? Links(GitHubEnvironment env, string artifact, bool hasFiles)
    {
        if (env.RunUrl is not { } run)
        {
            return null;
        }

        return env.UploadArtifact && hasFiles
            ? $"Full report: [workflow run]({run}) · artifact `{artifact}` (run.json, report.html)"
            : $"Workflow run: [{run}]({run})";
    }

    private static async Task<StickyCommentResult> CommentAsync(GitHubEnvironment env, PullRequestEvent? pullRequest, string marker, string markdown, string? links, CancellationToken cancellationToken)
    {
        if (!env.Comment)
        {
            return new StickyCommentResult(StickyCommentResult.Skipped, null, "the `comment` input is false");
        }

        if (pullRequest is null)
        {
            return new StickyCommentResult(StickyCommentResult.Skipped, null, $"the workflow was started by `{env.EventName ?? "an event"}`, not a pull request, so there is nothing to comment on");
        }

        if (pullRequest.IsFork && env.EventName != "pull_request_target")
        {
            return new StickyCommentResult(StickyCommentResult.Skipped, null,
                $"this pull request comes from the fork `{pullRequest.HeadRepository ?? "(deleted)"}`; GitHub gives a fork's `pull_request` workflow a read-only token and no secrets, so no comment was posted. The verdict is in this summary and in the check");
        }

        if (string.IsNullOrEmpty(env.Token))
        {
            return new StickyCommentResult(StickyCommentResult.Skipped, null, "no `github-token` was given (it defaults to `github.token`), so no comment was posted");
        }

        var body = marker + "\n" + markdown + (links is null || links.Length > LinksRoom - 8 ? string.Empty : $"\n---\n{links}\n");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var sticky = new StickyComment(http, env.ApiUrl, env.GraphQLUrl, env.Repository ?? pullRequest.BaseRepository, env.Token);
        return await sticky.UpsertAsync(pullRequest.Number, marker, body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The summary's last lines: the notes, the links and whether the comment was posted, within the room kept for them.</summary>
    private static string Footer(StickyCommentResult comment, IReadOnlyList<string> notes, string? links)
    {
        var footer = new StringBuilder("\n---\n\n");
        foreach (var note in notes)
        {
            footer.AppendLine(note).AppendLine();
        }

        if (links is not null)
        {
            footer.AppendLine(links).AppendLine();
        }

        footer.AppendLine(comment.Outcome switch
        {
            StickyCommentResult.Created or StickyCommentResult.Updated => $"Pull request comment {comment.Outcome}{(comment.Url is null ? "." : $": {comment.Url}")}",
            StickyCommentResult.Failed => $"**No pull request comment:** {comment.Explanation}. The verdict above still decides this check.",
            _ => $"**No pull request comment:** {comment.Explanation}.",
        });
        var tail = footer.ToString();

        // An API's error message could be long; four bytes per character at most keeps the cut inside the room.
        return Encoding.UTF8.GetByteCount(tail) <= SummaryFooterBytes ? tail : PrintableText.Shorten(tail, (SummaryFooterBytes / 4) - 1) + "\n";
    }

    private static string FailedGates(Run run) => JsonSerializer.Serialize(run.Gates
        .Where(g => g.Blocking)
        .Select(g => g.Evaluator == "*" ? g.Cohort : $"{g.Cohort} ({g.Evaluator})")
        .Distinct()
        .ToList(), Evals.FlywheelJsonContext.Default.ListString);

    private static string InWorkspace(string display, string workspace, string root)
    {
        var full = Path.GetFullPath(display, root);
        var relative = Path.GetRelativePath(workspace, full);
        return (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? display : relative).Replace('\\', '/');
    }

    private static string Slug(string config) => new(config.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_').ToArray());

    private static string? SafeWorkTree(string directory)
    {
        try
        {
            return GitInfo.FindWorkTree(directory);
        }
        catch (LibGit2Sharp.LibGit2SharpException)
        {
            return null;
        }
    }
}
