using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Flywheel.Evals.Chat;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Evaluators;
using Flywheel.Evals.Gates;
using Flywheel.Evals.Git;
using Flywheel.Evals.Judges;
using Flywheel.Evals.Schemas;
using Flywheel.Evals.Suites;
using Flywheel.Evals.Targets;
using Diagnostic = Flywheel.Evals.Diagnostics.Diagnostic;

namespace Flywheel.Evals.Runs;

/// <summary>The engine: streams every dataset's rows through the target and the evaluators, aggregates cohorts and holds them against the gates.</summary>
public static class SuiteRunner
{
    /// <summary>Runs a suite. Input problems do not throw once the suite is readable: they make the verdict <c>error</c>.</summary>
    /// <exception cref="FlywheelInputException">The suite, a dataset manifest or the baseline cannot be read at all.</exception>
    public static async Task<RunResult> RunAsync(RunOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var startedAt = options.Time.GetUtcNow();
        var diagnostics = new DiagnosticBag();
        var schemas = await FlywheelSchemas.LoadAsync(cancellationToken).ConfigureAwait(false);
        var suite = await new SuiteLoader(schemas).LoadAsync(options.Config, options.Root, cancellationToken).ConfigureAwait(false);
        TrustedSuite? trusted = null;
        if (options.GatesFrom is { } gatesFrom)
        {
            // Before keys are checked: which variables are read, and which endpoints get them, is the trusted revision's say.
            trusted = await GatesAtRef.ComputeAsync(suite, options.Root, gatesFrom, cancellationToken).ConfigureAwait(false);
            suite = trusted.Suite;
        }

        var liveTarget = options.Responses is null && suite.Target.Chat is not null;
        var keys = new DiagnosticBag();
        SuiteLoader.CheckKeys(suite, liveTarget, options.ModelCalls.Environment, keys);
        keys.ThrowIfErrors();
        var reader = new DatasetReader(schemas);
        var datasets = await LoadDatasetsAsync(suite, reader, diagnostics, cancellationToken).ConfigureAwait(false);
        diagnostics.ThrowIfErrors();

        var usesJudge = suite.Judge is not null && suite.Evaluators.Any(e => e.Method == EvaluatorKinds.Llm);
        await using var models = options.Score && (usesJudge || liveTarget) ? new ModelAccess(options.ModelCalls, suite.Root, options.Time) : null;
        var judgeRepeats = options.ModelCalls.JudgeRepeats ?? suite.Judge?.Repeats ?? 1;
        var judge = models is not null && usesJudge ? new Judge(models.Open("judge", suite.Judge!.Endpoint).Client, suite.Judge!, judgeRepeats) : null;
        var evaluators = new List<IEvaluator>(suite.Evaluators.Count);
        foreach (var config in suite.Evaluators)
        {
            var prompt = config.PromptText
                ?? (config.Prompt is { } promptPath ? await File.ReadAllTextAsync(suite.Resolve(promptPath), cancellationToken).ConfigureAwait(false) : null);
            evaluators.Add(EvaluatorFactory.Create(config, judge, prompt));
        }

        var evaluatorNames = evaluators.Select(e => e.Name).ToList();
        var cohortKeys = CohortKeys(datasets, suite.Gates);
        var responsesPath = liveTarget ? default : ResponsesPath(options, suite);
        Baseline? baseline = null;
        if (options.Baseline is not null)
        {
            var baselinePath = Path.GetFullPath(options.Baseline, options.Root);
            baseline = await Baseline.LoadAsync(baselinePath, SuiteLoader.DisplayPath(baselinePath, options.Root), cohortKeys, evaluatorNames, LimitsRemovals(suite), cancellationToken).ConfigureAwait(false);
        }
        else if (options.BaselineRef is not null)
        {
            baseline = await BaselineAtRef.ComputeAsync(options, suite, options.BaselineRef, cohortKeys, evaluatorNames, cancellationToken).ConfigureAwait(false);
        }

        // Asking git for the commit (loading libgit2, reading the index and the work tree) overlaps the rows.
        var commits = options.Commit is null
            ? Task.Run(() => (Run: SafeCommit(options.Root, datasets.Select(d => d.Directory).Append(suite.FullPath)), Datasets: datasets.Select(d => SafeCommit(options.Root, [d.Directory])).ToList()), cancellationToken)
            : null;
        var spool = new RowSpool();
        try
        {
            var aggregator = new CohortAggregator(cohortKeys, evaluatorNames);
            var rowSlots = models is null ? options.Concurrency : Math.Max(options.Concurrency, 2 * Math.Max(1, options.ModelCalls.Concurrency));
            // Without model calls a row is tens of microseconds of CPU: rows travel in batches, so the hand-offs between the
            // reading loop, the pool and the consumer are paid per batch. With model calls every row is its own work item,
            // so as many requests as allowed are in flight.
            var batchSize = models is null ? RowStream.DeterministicBatch : 1;
            var stream = new RowStream(options, datasets, evaluators, reader, aggregator, spool, diagnostics, rowSlots, batchSize);
            await using (var target = await OpenTargetAsync(responsesPath, suite, datasets, models, liveTarget, options, diagnostics, cancellationToken).ConfigureAwait(false))
            {
                if (options.Progress is { } progress)
                {
                    // After the target is open: every pipeline of the run exists, so progress counts them all.
                    progress.SetModels(models?.Stats ?? []);
                    progress.SetTotal(await CountRowsAsync(datasets, cancellationToken).ConfigureAwait(false));
                }

                await stream.RunAsync(target, cancellationToken).ConfigureAwait(false);
                await target.CompleteAsync(diagnostics, cancellationToken).ConfigureAwait(false);
            }

            if (models is not null)
            {
                // Every answer on disk before the run reports: a re-run must find them all.
                await models.FlushAsync().ConfigureAwait(false);
            }

            if (stream.BudgetRefusals > 0)
            {
                diagnostics.Error(suite.Path, 0, 0, DiagnosticCodes.CallBudgetExhausted,
                    $"the call budget of {models!.Budget.Max} model request(s) (--max-calls) ran out: {stream.BudgetRefusals} score(s) or response(s) were not decided; the verdict is error. Raise --max-calls, or re-run: answers already received are cached");
            }

            CheckGateTags(suite, datasets, stream.TagKeys, diagnostics);
            var rows = await spool.CompleteAsync(cancellationToken).ConfigureAwait(false);
            var cohorts = RunComparison.WithBaseline(aggregator.Results(), baseline);
            var gateConfigs = options.FailOnInsufficient ? suite.Gates : suite.Gates.Select(g => g with { WarnOnInsufficient = true }).ToList();
            var removedPerCohort = baseline is not null && LimitsRemovals(suite) ? RunComparison.RemovedPerCohort(rows, baseline) : null;
            var gates = GateEvaluator.Evaluate(gateConfigs, cohorts, baseline is not null, removedPerCohort);
            var regressions = baseline is null ? [] : RunComparison.Regressions(rows.NotPassing, baseline);
            var (added, removed) = baseline is null ? ([], []) : RunComparison.AddedAndRemoved(rows, baseline);
            var errors = diagnostics.Items.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
            var verdict = Verdicts.Decide(errors.Count, gates);
            var (runCommit, datasetCommits) = commits is null ? (options.Commit, datasets.Select(_ => options.Commit).ToList()) : await commits.ConfigureAwait(false);
            var run = new Run
            {
                Verdict = verdict,
                Commit = runCommit,
                Config = suite.Path,
                ConfigSha256 = suite.Sha256,
                Responses = liveTarget ? $"chat:{suite.Target.Chat!.Model}@{suite.Target.Chat!.DisplayEndpoint}" : responsesPath.Display,
                Baseline = baseline?.Display,
                GatesFrom = trusted?.Source,
                GateChanges = trusted?.Changes,
                StartedAt = startedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                DurationMs = clock.ElapsedMilliseconds,
                Models = stream.Models.Order(StringComparer.Ordinal).ToList(),
                Datasets = datasets.Select((d, i) => new RunDataset
                {
                    Name = d.Name,
                    Version = d.Manifest.Version,
                    Path = d.DisplayPath,
                    Rows = stream.RowsOf(d.Name),
                    Commit = datasetCommits[i],
                }).ToList(),
                Rows = rows,
                Cohorts = cohorts,
                Gates = gates,
                Regressions = regressions,
                RowsAdded = added,
                RowsRemoved = removed,
                Errors = errors,
                UndecidedScores = stream.Undecided,
                ModelCalls = models is null ? null : ModelCallsOf(models, usesJudge ? judgeRepeats : null),
                Unstable = judgeRepeats > 1 && usesJudge ? stream.Unstable : null,
            };
            return new RunResult(run, diagnostics.Items, spool);
        }
        catch
        {
            await spool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Checks the suite, every dataset and the responses without scoring; returns every problem found.</summary>
    public static async Task<IReadOnlyList<Diagnostic>> ValidateAsync(RunOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            await using var result = await RunAsync(options with { Score = false }, cancellationToken).ConfigureAwait(false);
            return result.Diagnostics;
        }
        catch (FlywheelInputException ex)
        {
            return ex.Diagnostics;
        }
    }

    private static async Task<List<Dataset>> LoadDatasetsAsync(SuiteConfig suite, DatasetReader reader, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        var datasets = new List<Dataset>();
        foreach (var reference in suite.Datasets)
        {
            var dataset = await reader.LoadAsync(suite, reference, diagnostics, cancellationToken).ConfigureAwait(false);
            if (dataset is null)
            {
                continue;
            }

            if (datasets.Any(d => d.Name == dataset.Name))
            {
                diagnostics.Error(suite.Path, reference.Line, reference.Column, DiagnosticCodes.DuplicateDataset, $"dataset '{dataset.Name}' is listed twice");
                continue;
            }

            datasets.Add(dataset);
        }

        return datasets;
    }

    /// <summary>True when a gate limits removed rows: only then does the baseline keep each row's cohorts.</summary>
    internal static bool LimitsRemovals(SuiteConfig suite) => suite.Gates.Any(g => g.MaxRowsRemoved is not null);

    private static List<string> CohortKeys(IReadOnlyList<Dataset> datasets, IReadOnlyList<GateConfig> gates)
    {
        var keys = new List<string>();
        foreach (var key in datasets.SelectMany(d => d.Manifest.CohortKeys))
        {
            if (!keys.Contains(key))
            {
                keys.Add(key);
            }
        }

        foreach (var gate in gates)
        {
            if (CohortSelector.TryParse(gate.Cohort, out var selector, out _) && selector.Key is { } key && !keys.Contains(key))
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    private static (string Full, string Display) ResponsesPath(RunOptions options, SuiteConfig suite)
    {
        var relative = options.Responses ?? suite.Target.Responses;
        if (relative is null)
        {
            throw new FlywheelInputException(new Diagnostic(suite.Path, suite.Target.Line, 1, DiagnosticCodes.BadTarget, "the recorded target needs \"responses\" (a JSONL file), or pass --responses"));
        }

        var full = options.Responses is not null ? Path.GetFullPath(relative) : suite.Resolve(relative);
        var display = SuiteLoader.DisplayPath(full, suite.Root);
        if (!File.Exists(full))
        {
            var where = options.Responses is not null ? new Diagnostic(display, 0, 0, DiagnosticCodes.FileNotFound, "responses file does not exist")
                : new Diagnostic(suite.Path, suite.Target.Line, 1, DiagnosticCodes.FileNotFound, $"responses file '{display}' does not exist");
            throw new FlywheelInputException(where);
        }

        return (full, display);
    }

    private static async Task<ITarget> OpenTargetAsync(
        (string Full, string Display) responses,
        SuiteConfig suite,
        IReadOnlyList<Dataset> datasets,
        ModelAccess? models,
        bool live,
        RunOptions options,
        DiagnosticBag diagnostics,
        CancellationToken cancellationToken)
    {
        if (!live)
        {
            var recorded = new RecordedTarget(responses.Full, responses.Display, datasets.Count == 1 ? datasets[0].Name : null, diagnostics);
            return options.WrapTarget is { } wrap ? wrap(recorded) : recorded;
        }

        var chat = suite.Target.Chat!;
        var systemPrompt = suite.Target.SystemPrompt is { } path ? await File.ReadAllTextAsync(suite.Resolve(path), cancellationToken).ConfigureAwait(false) : null;
        // Validation reads and checks everything but calls no model: the live target is opened only to score.
        return models is null ? new NoCallTarget(suite.Target) : new ChatTarget(models.Open("target", chat).Client, chat, suite.Target, systemPrompt, options.Time);
    }

    private static RunModelCalls ModelCallsOf(ModelAccess models, int? judgeRepeats)
    {
        var endpoints = models.Stats.Select(s => new RunModelEndpoint
        {
            Role = s.Role,
            Endpoint = s.Endpoint,
            Model = s.Model,
            Requests = s.Requests,
            CacheHits = s.CacheHits,
            Retries = s.Retries,
            Failures = s.Failures,
            InputTokens = s.InputTokens,
            OutputTokens = s.OutputTokens,
            CacheWriteFailures = s.CacheWriteFailures,
        }).ToList();
        return new RunModelCalls
        {
            MaxCalls = models.Budget.Max,
            BudgetExhausted = models.Budget.Exhausted,
            JudgeRepeats = judgeRepeats,
            Requests = endpoints.Sum(e => e.Requests),
            CacheHits = endpoints.Sum(e => e.CacheHits),
            Endpoints = endpoints,
        };
    }

    private static async Task<long> CountRowsAsync(IReadOnlyList<Dataset> datasets, CancellationToken cancellationToken)
    {
        long rows = 0;
        var buffer = new byte[1 << 16];
        foreach (var dataset in datasets)
        {
            await using var stream = new FileStream(dataset.RowsPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            int read;
            var last = (byte)'\n';
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                rows += buffer.AsSpan(0, read).Count((byte)'\n');
                last = buffer[read - 1];
            }

            if (last != (byte)'\n')
            {
                rows++;
            }
        }

        return rows;
    }

    private static void CheckGateTags(SuiteConfig suite, IReadOnlyList<Dataset> datasets, IReadOnlySet<string> seenKeys, DiagnosticBag diagnostics)
    {
        var known = datasets.SelectMany(d => d.Manifest.CohortKeys).Concat(seenKeys).ToHashSet(StringComparer.Ordinal);
        foreach (var gate in suite.Gates)
        {
            if (CohortSelector.TryParse(gate.Cohort, out var selector, out _) && selector.Key is { } key && !known.Contains(key))
            {
                diagnostics.Error(suite.Path, gate.Line, gate.Column, DiagnosticCodes.GateUnknownTag,
                    $"gate on '{gate.Cohort}' names tag '{key}', which no row has and no dataset lists in cohort_keys; known tags: {string.Join(", ", known.Order(StringComparer.Ordinal))}");
            }
        }
    }

    private static string? SafeCommit(string root, IEnumerable<string> paths)
    {
        try
        {
            return GitInfo.Commit(root, paths);
        }
        catch (LibGit2Sharp.LibGit2SharpException)
        {
            // Provenance is best effort: a broken .git must not stop a gate.
            return null;
        }
    }

    /// <summary>The per-run streaming state: reads rows in order, scores them concurrently, and consumes results in order.</summary>
    private sealed class RowStream(
        RunOptions options,
        IReadOnlyList<Dataset> datasets,
        IReadOnlyList<IEvaluator> evaluators,
        DatasetReader reader,
        CohortAggregator aggregator,
        RowSpool spool,
        DiagnosticBag diagnostics,
        int rowSlots,
        int batchSize)
    {
        /// <summary>Rows per work item when no row waits on a model.</summary>
        public const int DeterministicBatch = 16;

        private readonly Dictionary<string, int> _rowsPerDataset = new(StringComparer.Ordinal);
        private readonly List<UnstableScore> _unstable = [];
        private int _budgetRefusals;

        public IReadOnlyList<UnstableScore> Unstable => _unstable;

        public int BudgetRefusals => Volatile.Read(ref _budgetRefusals);

        public int Undecided { get; private set; }
        private readonly HashSet<string> _models = new(StringComparer.Ordinal);
        private readonly HashSet<string> _tagKeys = new(StringComparer.Ordinal);

        public IReadOnlySet<string> TagKeys => _tagKeys;

        public IReadOnlySet<string> Models => _models;

        public int RowsOf(string dataset) => _rowsPerDataset.GetValueOrDefault(dataset);

        public async Task RunAsync(ITarget target, CancellationToken cancellationToken)
        {
            // Lines are read in order; parsing, schema validation and scoring run on up to `concurrency` batches of lines at
            // once; results are consumed in line order, so run.json is deterministic and memory stays bounded.
            var concurrency = Math.Max(1, rowSlots);
            // Single rows queue a few per slot so a slow model call does not idle the others; a batch is already a queue.
            var pending = Channel.CreateBounded<Task<Processed[]>>(new BoundedChannelOptions(batchSize == 1 ? concurrency * 4 : concurrency) { SingleReader = true, SingleWriter = true });
            using var slots = new SemaphoreSlim(concurrency, concurrency);
            var consumer = ConsumeAsync(pending, cancellationToken);
            try
            {
                var batch = new List<(Dataset Dataset, JsonLine Line)>(batchSize);
                foreach (var dataset in datasets)
                {
                    var ids = new RowIdOrder(dataset.RowsDisplayPath, diagnostics);
                    var lines = 0;
                    // A line's buffer is rented from the array pool and goes back once its row is consumed: at 100,000 rows,
                    // a quarter of a gigabyte less to allocate and collect.
                    await foreach (var line in DatasetReader.ReadPooledLinesAsync(dataset, cancellationToken).ConfigureAwait(false))
                    {
                        lines++;

                        // The id is read up front so a duplicate is skipped before it can take another row's response.
                        if (RowIdOrder.PeekId(line.Utf8.Span) is { } id && !ids.Accept(id, line.Number))
                        {
                            Return(line.Pooled);
                            continue;
                        }

                        batch.Add((dataset, line));
                        if (batch.Count == batchSize)
                        {
                            await DispatchAsync(target, batch, slots, pending.Writer, cancellationToken).ConfigureAwait(false);
                            batch = new(batchSize);
                        }
                    }

                    if (lines == 0)
                    {
                        diagnostics.Error(dataset.RowsDisplayPath, 1, 1, DiagnosticCodes.EmptyDataset, $"dataset '{dataset.Name}' has no rows");
                    }
                }

                if (batch.Count > 0)
                {
                    await DispatchAsync(target, batch, slots, pending.Writer, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                pending.Writer.TryComplete();
                await consumer.ConfigureAwait(false);
            }
        }

        private async Task DispatchAsync(ITarget target, List<(Dataset Dataset, JsonLine Line)> batch, SemaphoreSlim slots, ChannelWriter<Task<Processed[]>> pending, CancellationToken cancellationToken)
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            await pending.WriteAsync(ProcessReleasingAsync(target, batch, slots, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        private async Task ConsumeAsync(Channel<Task<Processed[]>> results, CancellationToken cancellationToken)
        {
            try
            {
                await foreach (var work in results.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    foreach (var (row, document, pooled) in await work.ConfigureAwait(false))
                    {
                        Consume(row, document);

                        // The row's document is disposed (touching it now throws rather than reading a reused buffer), and
                        // nothing else points into the line.
                        Return(pooled);
                    }
                }
            }
            catch (Exception ex)
            {
                // A consumer that stops (the spool's disk is full, a row failed to score) must stop the reading loop too:
                // else that loop waits forever to hand it a row, and the run hangs instead of reporting why.
                results.Writer.TryComplete(ex);
                throw;
            }
        }

        private void Consume(RunRow? row, JsonDocument? document)
        {
            if (row is null || !options.Score)
            {
                // An invalid line (already a diagnostic), or validation only: nothing to aggregate or keep.
                document?.Dispose();
                return;
            }

            var undecided = row.Scores.Count(s => s.Error is not null) + (row.Scores.Count == 0 && row.Error is not null ? 1 : 0);
            Undecided += undecided;
            options.Progress?.RowDone(undecided);
            foreach (var score in row.Scores.Where(s => s.Unstable == true))
            {
                _unstable.Add(new UnstableScore { Dataset = row.Dataset, Id = row.Id, Evaluator = score.Evaluator, Passed = score.Passed, Votes = score.Votes ?? [] });
            }

            _rowsPerDataset[row.Dataset] = _rowsPerDataset.GetValueOrDefault(row.Dataset) + 1;
            foreach (var key in row.Tags.Keys)
            {
                _tagKeys.Add(key);
            }

            if (row.Response?.Model is { } model)
            {
                _models.Add(model);
            }

            aggregator.Add(row);
            spool.Add(Slim(row));

            // The spool holds the row now (a row that did not pass is read back when the run completes): nothing points
            // into its document any more, and disposing it returns the parse buffers to the pool for the next rows.
            document?.Dispose();
        }

        private async Task<Processed[]> ProcessReleasingAsync(ITarget target, List<(Dataset Dataset, JsonLine Line)> batch, SemaphoreSlim slots, CancellationToken cancellationToken)
        {
            try
            {
                // Yield so parsing and deterministic scoring run on the pool, not on the reading loop.
                await Task.Yield();
                var processed = new Processed[batch.Count];
                for (var i = 0; i < batch.Count; i++)
                {
                    processed[i] = await ProcessAsync(target, batch[i].Dataset, batch[i].Line, cancellationToken).ConfigureAwait(false);
                }

                return processed;
            }
            finally
            {
                slots.Release();
            }
        }

        private async ValueTask<Processed> ProcessAsync(ITarget target, Dataset dataset, JsonLine line, CancellationToken cancellationToken)
        {
            var row = reader.ParseRow(line, dataset.RowsDisplayPath, diagnostics, thorough: !options.Score, out var document);
            if (row is null)
            {
                // The line's problem is reported; its response, if any, is not one "for an unknown row".
                await target.SkipAsync(dataset, RowIdOrder.PeekId(line.Utf8.Span), cancellationToken).ConfigureAwait(false);
                return new(null, document, line.Pooled);
            }

            CheckRow(dataset, row);
            return new(await ScoreAsync(target, dataset, row, cancellationToken).ConfigureAwait(false), document, line.Pooled);
        }

        private static void Return(byte[]? pooled)
        {
            if (pooled is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(pooled);
            }
        }

        private readonly record struct Processed(RunRow? Row, JsonDocument? Document, byte[]? Pooled);

        private void CheckRow(Dataset dataset, Row row)
        {
            foreach (var evaluator in evaluators)
            {
                foreach (var problem in evaluator.CheckRow(row))
                {
                    diagnostics.Error(dataset.RowsDisplayPath, row.Line, 1, DiagnosticCodes.RowInconsistent, $"row '{row.Id}': {problem}");
                }
            }

            if (!evaluators.Any(e => e.AppliesTo(row)))
            {
                diagnostics.Warning(dataset.RowsDisplayPath, row.Line, 1, DiagnosticCodes.RowInconsistent,
                    $"row '{row.Id}' gives no evaluator anything to check (no expected answers, context or expected tool calls); it never gates");
            }
        }

        private async Task<RunRow> ScoreAsync(ITarget target, Dataset dataset, Row row, CancellationToken cancellationToken)
        {
            var applicable = evaluators.Where(e => e.AppliesTo(row)).ToList();
            if (!options.Score && target is NoCallTarget)
            {
                return Build(dataset, row, null, [], null);
            }

            Response? response;
            try
            {
                response = await target.GetResponseAsync(dataset, row, cancellationToken).ConfigureAwait(false);
            }
            catch (TargetCallException ex)
            {
                if (ex.Message == CallBudgetExhaustedException.Reason)
                {
                    Interlocked.Increment(ref _budgetRefusals);
                }
                else
                {
                    diagnostics.Error(dataset.RowsDisplayPath, row.Line, 1, DiagnosticCodes.TargetCallFailed, $"row '{row.Id}': {ex.Message}");
                }

                return Build(dataset, row, null, applicable.Select(e => Score.Failed(e.Name, ex.Message)).ToList(), ex.Message);
            }

            if (response is null)
            {
                var message = $"no response for row '{row.Id}' in {target.Description}";
                if (row.Gates)
                {
                    diagnostics.Error(dataset.RowsDisplayPath, row.Line, 1, DiagnosticCodes.MissingResponse, message);
                }
                else
                {
                    // A freshly promoted row waits for review and for the pipeline to record its response; it does not gate yet.
                    diagnostics.Warning(dataset.RowsDisplayPath, row.Line, 1, DiagnosticCodes.MissingResponse, $"{message} (review {row.ReviewStatus}: not gating)");
                }

                return Build(dataset, row, null, applicable.Select(e => Score.Failed(e.Name, "no response")).ToList(), message);
            }

            if (!options.Score)
            {
                return Build(dataset, row, response, [], null);
            }

            var scores = new List<Score>(applicable.Count);
            foreach (var evaluator in applicable)
            {
                Score score;
                try
                {
                    score = await evaluator.EvaluateAsync(new EvaluationContext(dataset.Name, row, response), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    score = Score.Failed(evaluator.Name, $"{ex.GetType().Name}: {ex.Message}");
                }

                if (score.Error == CallBudgetExhaustedException.Reason)
                {
                    // One summary diagnostic says the budget ran out; a line per refused score would bury it.
                    Interlocked.Increment(ref _budgetRefusals);
                }
                else if (score.Error is not null)
                {
                    diagnostics.Error(dataset.RowsDisplayPath, row.Line, 1, DiagnosticCodes.EvaluatorError, $"row '{row.Id}': evaluator '{evaluator.Name}' could not decide: {score.Error}");
                }

                scores.Add(score);
            }

            var error = scores.FirstOrDefault(s => s.Error is not null)?.Error;
            return Build(dataset, row, response, scores, error);
        }

        private static RunRow Build(Dataset dataset, Row row, Response? response, IReadOnlyList<Score> scores, string? error)
        {
            bool? passed = scores.Any(s => s.Passed == false) ? false
                : scores.Count == 0 || scores.Any(s => s.Passed is null) ? null
                : true;
            return new RunRow
            {
                Dataset = dataset.Name,
                Id = row.Id,
                Line = row.Line,
                Tags = row.Tags,
                Review = row.ReviewStatus,
                Passed = passed,
                Error = error,
                Scores = scores,
                Input = row.Input,
                Context = row.Context,
                Expected = row.Expected,
                Response = response,
            };
        }

        // Passing rows keep their scores only; rows that need a look keep what a reviewer needs to see why.
        private static RunRow Slim(RunRow row) => row.Passed == true
            ? row with
            {
                Input = null,
                Context = null,
                Expected = null,
                Response = row.Response is null ? null : Summary(row.Response),
                Scores = row.Scores.Select(s => s with { Details = null }).ToList(),
            }
            : row;

        private static Response Summary(Response response) => new()
        {
            Id = response.Id,
            Model = response.Model,
            LatencyMs = response.LatencyMs,
            InputTokens = response.InputTokens,
            OutputTokens = response.OutputTokens,
        };
    }
}
