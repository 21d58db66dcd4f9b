using System.Globalization;
using System.Reflection;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Files;
using Flywheel.Evals.Git;
using Flywheel.Evals.Reports;
using Flywheel.Evals.Runs;
using Flywheel.Evals.Suites;

namespace Flywheel.Action;

/// <summary>The <c>flywheel</c> command line: translates arguments into engine calls and the outcome into files and an exit code.</summary>
public static class FlywheelCli
{
    private const string Usage = """
        usage:
          flywheel validate [--config F] [--root DIR] [--responses F]
              check every dataset, the suite config and the responses
          flywheel gate [--config F] [--root DIR] [--responses F] [--baseline RUN.json | --baseline-ref REF] [--gates-from REF]
                        [--out DIR] [--format console,md,json,junit,html] [--history DIR] [--concurrency N]
                        [--max-calls N] [--judge-repeats N] [--no-cache] [--progress live|plain|none] [--max-chars N]
              run the suite, write run.json (and the formats asked for) into --out, exit 0/1/2;
              --baseline-ref compares with the suite as it was at the merge base of HEAD and REF;
              --gates-from takes the gates, evaluators, judge, endpoints and key names from the suite at the merge
              base of HEAD and REF (the rows and responses stay this tree's) and lists what this suite changes;
              --concurrency N scores N rows and keeps at most N model calls in flight (model calls default to 8);
              --max-calls caps requests to model endpoints (a run that hits it ends with verdict error, exit 2);
              --judge-repeats asks the judge N times and takes the majority; --no-cache calls even for cached answers;
              --max-chars bounds report.md (default 65536, a GitHub comment): less detail, never a cut
          flywheel promote --trace F --dataset NAME [--id ID] [--expected TEXT]... [--expected-tool-call 'f(a=v|w, b?=x)']...
                           [--expect-no-tool-call] [--failure-mode M] [--tag k=v]... [--branch B] [--commit] [--allow-near-duplicate]
              turn a production trace (OTLP JSON or JSONL log) into a pending row, redacted, in id order
          flywheel diff --base REF [--head REF] [--format md|json] [--out F]
              rows added, removed and changed per dataset between two revisions
          flywheel report RUN.json [--baseline RUN.json] [--history DIR] --format html|md|json|junit|console [--out F] [--max-chars N]
              render a report from a run without re-running; --history DIR (earlier run.json files, e.g. one
              per release) draws the HTML report's trend
          flywheel github
              the GitHub Action's entry point: reads INPUT_* and GITHUB_* (see action.yml), gates against the
              pull request's base, writes the job summary, step outputs, annotations and the sticky PR comment

        --config defaults to evaluators/flywheel.json under the root; --root defaults to the git work tree
        holding the current directory (else the current directory); --out defaults to .flywheel/out/.
        --verbose (any command) prints the full trace of an internal error (FW9999) besides the file it is written to.
        exit codes: 0 every gate passed · 1 a gate failed · 2 the input or configuration is wrong
        """;

    /// <summary>Runs one command; returns the process exit code.</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, string workingDirectory, CancellationToken cancellationToken) =>
        RunAsync(args, stdout, stderr, workingDirectory, interactive: false, cancellationToken);

    /// <summary>Runs one command; <paramref name="interactive"/> is true when standard error is a terminal outside CI (live progress line).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, string workingDirectory, bool interactive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        try
        {
            var line = CommandLine.Parse(args);
            if (line.Has("--version"))
            {
                await stdout.WriteLineAsync(Version()).ConfigureAwait(false);
                return 0;
            }

            if (line.Command.Length == 0 || line.Has("--help") || line.Has("-h") || line.Command == "help")
            {
                await stdout.WriteLineAsync(Usage).ConfigureAwait(false);
                return line.Command.Length == 0 && !line.Has("--help") && !line.Has("-h") ? 2 : 0;
            }

            return line.Command switch
            {
                "validate" => await ValidateAsync(line, stdout, stderr, workingDirectory, cancellationToken).ConfigureAwait(false),
                "gate" => await GateAsync(line, stdout, stderr, workingDirectory, interactive, cancellationToken).ConfigureAwait(false),
                "report" => await ReportAsync(line, stdout, stderr, workingDirectory, cancellationToken).ConfigureAwait(false),
                "promote" => await PromoteAsync(line, stdout, workingDirectory, cancellationToken).ConfigureAwait(false),
                "diff" => await DiffAsync(line, stdout, stderr, workingDirectory, cancellationToken).ConfigureAwait(false),
                "github" => await GitHubAsync(line, stdout, stderr, workingDirectory, cancellationToken).ConfigureAwait(false),
                _ => throw new UsageException($"unknown command '{line.Command}'"),
            };
        }
        catch (UsageException ex)
        {
            await stderr.WriteLineAsync($"flywheel: error {DiagnosticCodes.Usage}: {ex.Message}").ConfigureAwait(false);
            await stderr.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }
        catch (FlywheelInputException ex)
        {
            await WriteDiagnosticsAsync(stderr, ex.Diagnostics).ConfigureAwait(false);
            await stderr.WriteLineAsync($"flywheel: {Count(ex.Diagnostics.Count, "error")}; exit code 2").ConfigureAwait(false);
            return 2;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("flywheel: cancelled; no verdict").ConfigureAwait(false);
            return 2;
        }
        catch (Exception ex)
        {
            // Whatever no command expected (a closed pipe, a vanished file, a bug): one line and exit 2, never a crash.
            return FaultReport.Write(ex, stderr, args);
        }
    }

    private static async Task<int> ValidateAsync(CommandLine line, TextWriter stdout, TextWriter stderr, string cwd, CancellationToken cancellationToken)
    {
        line.Allow("--config", "--root", "--responses");
        var options = Options(line, cwd);
        var diagnostics = await SuiteRunner.ValidateAsync(options, cancellationToken).ConfigureAwait(false);
        await WriteDiagnosticsAsync(stderr, diagnostics).ConfigureAwait(false);
        var errors = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        if (errors > 0)
        {
            await stderr.WriteLineAsync($"flywheel: {Count(errors, "error")}; exit code 2").ConfigureAwait(false);
            return 2;
        }

        var warnings = diagnostics.Count - errors;
        await stdout.WriteLineAsync($"flywheel: {options.Config} is valid ({Count(warnings, "warning")})").ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> GateAsync(CommandLine line, TextWriter stdout, TextWriter stderr, string cwd, bool interactive, CancellationToken cancellationToken)
    {
        line.Allow("--config", "--root", "--responses", "--baseline", "--baseline-ref", "--gates-from", "--out", "--format", "--history", "--concurrency", "--quiet",
            "--max-calls", "--judge-repeats", "--no-cache", "--progress", "--max-chars");
        var options = Options(line, cwd);
        if (line.Get("--baseline") is { } baseline)
        {
            options = options with { Baseline = Path.GetFullPath(baseline, cwd) };
        }

        if (line.Get("--baseline-ref") is { } baselineRef)
        {
            if (options.Baseline is not null)
            {
                throw new UsageException("give --baseline or --baseline-ref, not both");
            }

            options = options with { BaselineRef = baselineRef };
        }

        if (line.Get("--gates-from") is { } gatesFrom)
        {
            options = options with { GatesFrom = gatesFrom };
        }

        var models = options.ModelCalls;
        if (WholeNumber(line, "--concurrency", min: 1) is { } concurrency)
        {
            // One number for both: rows scored at once and model calls in flight.
            options = options with { Concurrency = concurrency };
            models = models with { Concurrency = concurrency };
        }

        models = models with
        {
            MaxCalls = WholeNumber(line, "--max-calls", min: 0),
            JudgeRepeats = WholeNumber(line, "--judge-repeats", min: 1),
            ReadCache = !line.Has("--no-cache"),
        };
        var progress = new RunProgress();
        options = options with { ModelCalls = models, Progress = progress };
        var mode = (line.Get("--progress") ?? (interactive ? "live" : "plain")) switch
        {
            "live" => ProgressMode.Live,
            "plain" => ProgressMode.Plain,
            "none" => ProgressMode.None,
            var other => throw new UsageException($"--progress takes live, plain or none, not '{other}'"),
        };

        var formats = WithMaxChars(Formats(line.Get("--format") ?? "console"), line);
        // The history and the output folder are checked before the run, so a bad folder stops the gate at once
        // rather than after its work.
        formats = await WithHistoryAsync(formats, line, cwd, cancellationToken).ConfigureAwait(false);
        var outDir = Path.GetFullPath(line.Get("--out") ?? Path.Combine(options.Root, ".flywheel", "out"), cwd);
        AtomicFile.CheckFolder(outDir);
        RunResult result;
        await using (new ProgressReporter(progress, stderr, mode, PlainInterval()))
        {
            result = await SuiteRunner.RunAsync(options, cancellationToken).ConfigureAwait(false);
        }

        await using var disposeResult = result;
        await WriteDiagnosticsAsync(stderr, result.Diagnostics).ConfigureAwait(false);

        // The console report first: should the files fail (a disk filled during the run), the verdict is still seen.
        if (!line.Has("--quiet"))
        {
            foreach (var report in formats.Where(f => f.FileName is null))
            {
                await report.WriteAsync(result.Run, stdout, cancellationToken).ConfigureAwait(false);
            }
        }

        try
        {
            await RunOutputs.WriteAsync(result.Run, outDir, formats, cancellationToken).ConfigureAwait(false);
        }
        catch (FlywheelInputException ex)
        {
            await WriteDiagnosticsAsync(stderr, ex.Diagnostics).ConfigureAwait(false);
            await stderr.WriteLineAsync($"flywheel: the run was not recorded ({Count(ex.Diagnostics.Count, "error")}); exit code 2").ConfigureAwait(false);
            return 2;
        }

        await stdout.WriteLineAsync($"run written to {SuiteLoader.DisplayPath(Path.Combine(outDir, RunOutputs.RunFileName), cwd)}").ConfigureAwait(false);
        return result.ExitCode;
    }

    private static async Task<int> ReportAsync(CommandLine line, TextWriter stdout, TextWriter stderr, string cwd, CancellationToken cancellationToken)
    {
        line.Allow("--baseline", "--format", "--out", "--history", "--max-chars");
        if (line.Positionals.Count != 1)
        {
            throw new UsageException("report takes one RUN.json");
        }

        var runPath = Path.GetFullPath(line.Positionals[0], cwd);
        var run = await RunJson.ReadFileAsync(runPath, line.Positionals[0], cancellationToken).ConfigureAwait(false);
        if (line.Get("--baseline") is { } baselineArg)
        {
            run = await WithBaselineAsync(run, Path.GetFullPath(baselineArg, cwd), baselineArg, cancellationToken).ConfigureAwait(false);
        }

        var formats = Formats(line.Get("--format") ?? throw new UsageException("report needs --format (html, md, json, junit or console)"));
        if (formats.Count != 1)
        {
            throw new UsageException("report renders one --format at a time");
        }

        formats = await WithHistoryAsync(WithMaxChars(formats, line), line, cwd, cancellationToken).ConfigureAwait(false);

        var report = formats[0];
        if (line.Get("--out") is { } outFile)
        {
            await RunOutputs.WriteReportAsync(report, run, Path.GetFullPath(outFile, cwd), cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync($"report written to {outFile}").ConfigureAwait(false);
        }
        else
        {
            await report.WriteAsync(run, stdout, cancellationToken).ConfigureAwait(false);
        }

        await stderr.FlushAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> PromoteAsync(CommandLine line, TextWriter stdout, string cwd, CancellationToken cancellationToken)
    {
        line.Allow("--trace", "--dataset", "--id", "--expected", "--expected-tool-call", "--expect-no-tool-call", "--failure-mode", "--tag", "--branch", "--commit", "--allow-near-duplicate", "--config", "--root");
        var options = Options(line, cwd);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in line.Options.GetValueOrDefault("--tag") ?? [])
        {
            var equals = tag.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"--tag takes key=value, not '{tag}'");
            }

            tags[tag[..equals]] = tag[(equals + 1)..];
        }

        var request = new Flywheel.Evals.Promotion.PromotionRequest
        {
            Root = options.Root,
            Config = options.Config,
            TracePath = Path.GetFullPath(line.Get("--trace") ?? throw new UsageException("promote needs --trace FILE"), cwd),
            Dataset = line.Get("--dataset") ?? throw new UsageException("promote needs --dataset NAME"),
            Id = line.Get("--id"),
            Expected = line.Options.GetValueOrDefault("--expected") ?? [],
            ExpectedToolCalls = line.Options.GetValueOrDefault("--expected-tool-call") ?? [],
            ExpectNoToolCall = line.Has("--expect-no-tool-call"),
            FailureMode = line.Get("--failure-mode"),
            Tags = tags,
            Branch = line.Get("--branch"),
            Commit = line.Has("--commit"),
            AllowNearDuplicate = line.Has("--allow-near-duplicate"),
        };
        var result = await Flywheel.Evals.Promotion.Promoter.PromoteAsync(request, cancellationToken).ConfigureAwait(false);
        await stdout.WriteLineAsync($"promoted {result.Id} into {result.RowsPath} at line {result.Line} (review: pending); version {result.OldVersion} -> {result.NewVersion}").ConfigureAwait(false);
        if (result.Nearest is { } nearest)
        {
            await stdout.WriteLineAsync($"closest existing row: {nearest.Id} (similarity {nearest.Similarity.ToString("0.00", CultureInfo.InvariantCulture)})").ConfigureAwait(false);
        }

        if (result.CommitSha is not null)
        {
            await stdout.WriteLineAsync($"committed {result.CommitSha[..12]} on branch {result.Branch}; push it and open a pull request: the review approves the row").ConfigureAwait(false);
            foreach (var kept in result.KeptUncommitted)
            {
                await stdout.WriteLineAsync($"{kept} had uncommitted edits: they are not in the commit and stay uncommitted").ConfigureAwait(false);
            }
        }

        return 0;
    }

    private static async Task<int> DiffAsync(CommandLine line, TextWriter stdout, TextWriter stderr, string cwd, CancellationToken cancellationToken)
    {
        line.Allow("--base", "--head", "--root", "--format", "--out");
        var baseRef = line.Get("--base") ?? throw new UsageException("diff needs --base REF");
        var root = line.Get("--root") is { } r ? Path.GetFullPath(r, cwd) : SafeWorkTree(cwd) ?? throw new UsageException("diff needs a git repository (run it inside one or pass --root)");
        var diff = DatasetDiffer.Compute(root, baseRef, line.Get("--head") ?? "HEAD");
        var format = line.Get("--format") ?? "md";
        var text = format switch
        {
            "md" => DiffReport.Markdown(diff),
            "json" => DiffReport.Json(diff),
            _ => throw new UsageException($"diff renders md or json, not '{format}'"),
        };
        foreach (var dataset in diff.Datasets.Where(d => d.Warning is not null))
        {
            await stderr.WriteLineAsync($"{dataset.Path}/dataset.json: warning {DiagnosticCodes.VersionNotBumped}: {dataset.Warning}").ConfigureAwait(false);
        }

        if (line.Get("--out") is { } outFile)
        {
            await AtomicFile.WriteAllTextAsync(Path.GetFullPath(outFile, cwd), text, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await stdout.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    private static Task<int> GitHubAsync(CommandLine line, TextWriter stdout, TextWriter stderr, string cwd, CancellationToken cancellationToken)
    {
        // Everything comes from the runner's environment, as for any action; options would be a second way to say the same.
        line.Allow();
        if (line.Positionals.Count > 0)
        {
            throw new UsageException("github takes no arguments; it reads the Action's inputs from INPUT_* variables");
        }

        return GitHub.GitHubCommand.RunAsync(GitHub.GitHubEnvironment.Current(), stdout, stderr, cwd, cancellationToken);
    }

    private static async Task<Run> WithBaselineAsync(Run run, string path, string display, CancellationToken cancellationToken)
    {
        var keys = run.Cohorts.Select(c => c.Cohort).Where(c => c != "*").Select(c => c[..c.IndexOf('=', StringComparison.Ordinal)]).Distinct().ToList();
        var evaluators = run.Cohorts.Select(c => c.Evaluator).Where(e => e != "*").Distinct().ToList();
        var baseline = await Baseline.LoadAsync(path, display, keys, evaluators, keepCohorts: run.Gates.Any(g => g.MaxRowsRemoved is not null), cancellationToken).ConfigureAwait(false);
        return RunComparison.Compare(run, baseline);
    }

    private static async Task<List<IRunReport>> WithHistoryAsync(List<IRunReport> formats, CommandLine line, string cwd, CancellationToken cancellationToken)
    {
        if (line.Get("--history") is not { } historyArg)
        {
            return formats;
        }

        if (!formats.Any(f => f is HtmlReport))
        {
            throw new UsageException("--history draws the trend of the HTML report; add html to --format");
        }

        var history = await RunHistory.LoadAsync(Path.GetFullPath(historyArg, cwd), historyArg, cancellationToken).ConfigureAwait(false);
        return formats.Select(f => f is HtmlReport ? new HtmlReport(history) : f).ToList();
    }

    private static List<IRunReport> WithMaxChars(List<IRunReport> formats, CommandLine line)
    {
        if (WholeNumber(line, "--max-chars", min: MarkdownReport.MinMaxChars) is not { } maxChars)
        {
            return formats;
        }

        if (!formats.Any(f => f is MarkdownReport))
        {
            throw new UsageException("--max-chars bounds the Markdown report; add md to --format");
        }

        return formats.Select(f => f is MarkdownReport ? new MarkdownReport(maxChars) : f).ToList();
    }

    private static int? WholeNumber(CommandLine line, string option, int min)
    {
        if (line.Get(option) is not { } text)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw new UsageException($"{option} takes a whole number of at least {min}, not '{text}'");
    }

    /// <summary>How often a plain progress line is written (FLYWHEEL_PROGRESS_INTERVAL seconds, default 10).</summary>
    private static TimeSpan PlainInterval() =>
        double.TryParse(Environment.GetEnvironmentVariable("FLYWHEEL_PROGRESS_INTERVAL"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(10);

    private static RunOptions Options(CommandLine line, string cwd)
    {
        var root = line.Get("--root") is { } explicitRoot
            ? Path.GetFullPath(explicitRoot, cwd)
            : SafeWorkTree(cwd) ?? Path.GetFullPath(cwd);
        if (!Directory.Exists(root))
        {
            throw new UsageException($"--root '{root}' is not a directory");
        }

        var config = line.Get("--config") is { } c ? Path.GetFullPath(c, cwd) : Path.Combine(root, "evaluators", "flywheel.json");
        var responses = line.Get("--responses") is { } r ? Path.GetFullPath(r, cwd) : null;
        return new RunOptions { Root = root, Config = config, Responses = responses };
    }

    private static string? SafeWorkTree(string cwd)
    {
        try
        {
            return GitInfo.FindWorkTree(cwd);
        }
        catch (LibGit2Sharp.LibGit2SharpException)
        {
            return null;
        }
    }

    private static List<IRunReport> Formats(string list)
    {
        var formats = new List<IRunReport>();
        foreach (var name in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var report = RunReports.Find(name) ?? throw new UsageException($"unknown format '{name}'; formats: {string.Join(", ", RunReports.All.Select(r => r.Format))}");
            if (!formats.Contains(report))
            {
                formats.Add(report);
            }
        }

        return formats.Count > 0 ? formats : throw new UsageException("--format names no format");
    }

    private static async Task WriteDiagnosticsAsync(TextWriter stderr, IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            await stderr.WriteLineAsync(diagnostic.ToString()).ConfigureAwait(false);
        }
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    /// <summary>The informational version of this build.</summary>
    internal static string Version() =>
        typeof(FlywheelCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
