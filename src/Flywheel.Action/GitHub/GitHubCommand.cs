using System.Globalization;
using System.Text;
using System.Text.Json;
using Flywheel.Evals.Diagnostics;
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

    /// <summary>Annotations beyond this many per kind only clutter the check; the report lists the rest.</summary>
    private const int MaxAnnotations = 50;

    /// <summary>Runs the Action; returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyDictionary<string, string> variables, TextWriter stdout, TextWriter stderr, string currentDirectory, CancellationToken cancellationToken)
    {
        // Masks go out before anything else, so no later line (ours, the engine's, a library's) can show a key.
        foreach (var secret in GitHubEnvironment.SecretsIn(variables))
        {
            foreach (var line in secret.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                await stdout.WriteLineAsync(WorkflowCommands.AddMask(line)).ConfigureAwait(false);
            }
        }

        await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);

        GitHubEnvironment env;
        PullRequestEvent? pullRequest;
        try
        {
            env = GitHubEnvironment.Read(variables, currentDirectory);
            pullRequest = await ReadEventAsync(env, cancellationToken).ConfigureAwait(false);
        }
        catch (FlywheelInputException ex)
        {
            await ReportInputErrorsAsync(ex.Diagnostics, stdout, stderr, workspace: null, root: null).ConfigureAwait(false);
            return 2;
        }

        var root = SafeWorkTree(env.Workspace) ?? env.Workspace;
        var config = Path.GetFullPath(env.Config, env.Workspace);
        var configDisplay = SuiteLoader.DisplayPath(config, root);
        var outDir = env.RunnerTemp is { } temp
            ? Path.Combine(temp, "flywheel", Slug(configDisplay))
            : Path.Combine(root, ".flywheel", "out");
        Directory.CreateDirectory(outDir);
        var reportPath = Path.Combine(outDir, "report.md");
        var outputs = new GitHubOutputs();
        var notes = new List<string>();

        // The report is rendered for each place it goes, with as much detail as that place holds: the comment (one
        // GitHub comment, the marker line included) and the job summary (1 MiB, its footer included).
        var marker = StickyComment.MarkerFor(configDisplay);
        var commentChars = Math.Max(MarkdownReport.MinMaxChars, StickyComment.MaxBodyLength - marker.Length - 1);
        const long SummaryBytes = MaxSummaryBytes - SummaryFooterBytes;
        string markdown;
        string? summary = null;
        int exitCode;
        try
        {
            var baselineRef = ChooseBaseline(env, pullRequest, root, config, notes);
            var options = new RunOptions
            {
                Root = root,
                Config = config,
                Responses = env.Responses is { } responses ? Path.GetFullPath(responses, env.Workspace) : null,
                BaselineRef = baselineRef,
            };
            await using var result = await SuiteRunner.RunAsync(options, cancellationToken).ConfigureAwait(false);
            var run = result.Run;
            await ReportDiagnosticsAsync(result.Diagnostics, stdout, stderr, env.Workspace, root).ConfigureAwait(false);

            var runPath = Path.Combine(outDir, "run.json");
            await RunJson.WriteFileAsync(run, runPath, cancellationToken).ConfigureAwait(false);
            markdown = MarkdownReport.Render(run, commentChars);
            if (env.StepSummary is not null)
            {
                summary = MarkdownReport.Render(run, int.MaxValue, SummaryBytes);
            }

            // The console report quotes rows and responses; with commands stopped no such text can act as a workflow command.
            var resume = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            await stdout.WriteLineAsync(WorkflowCommands.StopCommands(resume)).ConfigureAwait(false);
            await new ConsoleReport().WriteAsync(run, stdout, cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync(WorkflowCommands.ResumeCommands(resume)).ConfigureAwait(false);
            await AnnotateAsync(run, stdout, env.Workspace, root).ConfigureAwait(false);

            exitCode = ExitCode(run, env.FailOn);
            outputs.Set("verdict", run.Verdict);
            outputs.Set("run-json", runPath);
            outputs.Set("failed-gates", FailedGates(run));
            outputs.Set("regressions", run.Regressions.Select(r => (r.Dataset, r.Id)).Distinct().Count().ToString(CultureInfo.InvariantCulture));
        }
        catch (FlywheelInputException ex)
        {
            await ReportInputErrorsAsync(ex.Diagnostics, stdout, stderr, env.Workspace, root).ConfigureAwait(false);
            markdown = MarkdownReport.RenderInputErrors(ex.Diagnostics, commentChars);
            summary = MarkdownReport.RenderInputErrors(ex.Diagnostics, int.MaxValue, SummaryBytes);
            exitCode = 2;
            outputs.Set("verdict", Verdicts.Error);
            outputs.Set("run-json", string.Empty);
            outputs.Set("failed-gates", "[]");
            outputs.Set("regressions", "0");
        }

        await File.WriteAllTextAsync(reportPath, markdown, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        outputs.Set("report-md", reportPath);

        var comment = await CommentAsync(env, pullRequest, marker, markdown, cancellationToken).ConfigureAwait(false);
        outputs.Set("comment-url", comment.Url ?? string.Empty);
        var commentLine = comment.Outcome switch
        {
            StickyCommentResult.Failed => WorkflowCommands.Warning($"Flywheel could not post the pull request comment: {comment.Explanation}. The verdict still decides this check.", title: "Flywheel comment"),
            _ => $"flywheel: pull request comment {comment.Outcome}: {comment.Explanation}",
        };
        await stdout.WriteLineAsync(commentLine).ConfigureAwait(false);

        if (env.StepSummary is { } summaryPath)
        {
            await File.AppendAllTextAsync(summaryPath, (summary ?? markdown) + Footer(comment, notes), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        }

        if (env.OutputPath is { } outputPath)
        {
            await outputs.AppendToAsync(outputPath, cancellationToken).ConfigureAwait(false);
        }

        await stdout.WriteLineAsync($"flywheel: fail-on {env.FailOn.ToString().ToLowerInvariant()}; exit code {exitCode}").ConfigureAwait(false);
        return exitCode;
    }

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

        // Throws FW4002 with the fetch advice when the clone is shallow: an honest error, not a silent run without baseline.
        var workTree = GitInfo.FindWorkTree(root) ?? throw new FlywheelInputException(new Diagnostic(root, 0, 0, DiagnosticCodes.GitProblem, "the workspace is not a git checkout; add actions/checkout before Flywheel"));
        var mergeBase = GitSnapshot.ResolveMergeBase(workTree, pullRequest.BaseSha);
        if (GitSnapshot.ReadText(workTree, mergeBase, GitSnapshot.Relative(workTree, config)) is null)
        {
            notes.Add($"No baseline: the suite does not exist at the base ({mergeBase[..12]}); this pull request introduces it. The next pull request is compared with it.");
            return null;
        }

        return pullRequest.BaseSha;
    }

    private static async Task AnnotateAsync(Run run, TextWriter stdout, string workspace, string root)
    {
        var config = run.Config is null ? null : InWorkspace(run.Config, workspace, root);
        foreach (var gate in run.Gates.Where(g => g.Status is GateStatuses.Failed or GateStatuses.Insufficient))
        {
            var rows = ReportText.FailingRows(run, gate, 3).Select(r => r.Id).ToList();
            var message = rows.Count == 0 ? gate.Message : $"{gate.Message}; first failing rows: {string.Join(", ", rows)}";
            var title = $"Flywheel gate {gate.Status}: {gate.Cohort}{(gate.Evaluator == "*" ? string.Empty : $" ({gate.Evaluator})")}";
            await stdout.WriteLineAsync(gate.Blocking
                ? WorkflowCommands.Error(message, config, gate.Line, title: title)
                : WorkflowCommands.Warning(message, config, gate.Line, title: title + " (warning only)")).ConfigureAwait(false);
        }

        var rowsFiles = run.Datasets.ToDictionary(d => d.Name, d => d.Path is null ? null : InWorkspace(d.Path.TrimEnd('/') + "/rows.jsonl", workspace, root), StringComparer.Ordinal);
        foreach (var regression in run.Regressions.Take(MaxAnnotations))
        {
            var file = rowsFiles.GetValueOrDefault(regression.Dataset);
            var message = $"Row '{regression.Id}' passed on the baseline and fails now ({regression.Evaluator}): {regression.Reason}";
            await stdout.WriteLineAsync(WorkflowCommands.Error(message, file, regression.Line, title: $"Flywheel regression: {regression.Dataset}/{regression.Id}")).ConfigureAwait(false);
        }

        if (run.Regressions.Count > MaxAnnotations)
        {
            await stdout.WriteLineAsync(WorkflowCommands.Notice($"{run.Regressions.Count - MaxAnnotations} more regressions are listed in run.json and the job summary.", "Flywheel regressions")).ConfigureAwait(false);
        }
    }

    private static async Task ReportDiagnosticsAsync(IEnumerable<Diagnostic> diagnostics, TextWriter stdout, TextWriter stderr, string? workspace, string? root)
    {
        var annotated = 0;
        foreach (var diagnostic in diagnostics)
        {
            await stderr.WriteLineAsync(diagnostic.ToString()).ConfigureAwait(false);
            if (annotated++ >= MaxAnnotations)
            {
                continue;
            }

            var file = workspace is null || root is null || diagnostic.Line <= 0 ? null : InWorkspace(diagnostic.Path, workspace, root);
            var message = diagnostic.Line > 0 || file is not null ? $"{diagnostic.Code}: {diagnostic.Message}" : $"{diagnostic.Path}: {diagnostic.Code}: {diagnostic.Message}";
            var title = $"Flywheel {diagnostic.Code}";
            await stdout.WriteLineAsync(diagnostic.Severity == DiagnosticSeverity.Error
                ? WorkflowCommands.Error(message, file, diagnostic.Line, diagnostic.Column, title)
                : WorkflowCommands.Warning(message, file, diagnostic.Line, diagnostic.Column, title)).ConfigureAwait(false);
        }
    }

    private static async Task ReportInputErrorsAsync(IReadOnlyList<Diagnostic> diagnostics, TextWriter stdout, TextWriter stderr, string? workspace, string? root)
    {
        await ReportDiagnosticsAsync(diagnostics, stdout, stderr, workspace, root).ConfigureAwait(false);
        await stderr.WriteLineAsync($"flywheel: {diagnostics.Count} input error(s); exit code 2").ConfigureAwait(false);
    }

    private static async Task<StickyCommentResult> CommentAsync(GitHubEnvironment env, PullRequestEvent? pullRequest, string marker, string markdown, CancellationToken cancellationToken)
    {
        if (!env.Comment)
        {
            return new StickyCommentResult(StickyCommentResult.Skipped, null, "the `comment` input is false");
        }

        if (pullRequest is null)
        {
            return new StickyCommentResult(StickyCommentResult.Skipped, null, $"the workflow was started by `{env.EventName ?? "an event"}`, not a pull request, so there is nothing to comment on");
        }

        if (pullRequest.IsFork)
        {
            return new StickyCommentResult(StickyCommentResult.Skipped, null,
                $"this pull request comes from the fork `{pullRequest.HeadRepository ?? "(deleted)"}`; GitHub gives a fork's `pull_request` workflow a read-only token and no secrets, so no comment was posted. The verdict is in this summary and in the check");
        }

        if (string.IsNullOrEmpty(env.Token))
        {
            return new StickyCommentResult(StickyCommentResult.Skipped, null, "no `github-token` was given (it defaults to `github.token`), so no comment was posted");
        }

        var body = marker + "\n" + markdown;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var sticky = new StickyComment(http, env.ApiUrl, env.Repository ?? pullRequest.BaseRepository, env.Token);
        return await sticky.UpsertAsync(pullRequest.Number, marker, body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The summary's last lines: the notes and whether the comment was posted, within the room kept for them.</summary>
    private static string Footer(StickyCommentResult comment, IReadOnlyList<string> notes)
    {
        var footer = new StringBuilder("\n---\n\n");
        foreach (var note in notes)
        {
            footer.AppendLine(note).AppendLine();
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
