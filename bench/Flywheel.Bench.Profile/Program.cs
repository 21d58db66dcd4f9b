using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Flywheel.Evals;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Evaluators;
using Flywheel.Evals.Reports;
using Flywheel.Evals.Runs;
using Flywheel.Evals.Schemas;
using Flywheel.Evals.Suites;
using Flywheel.Evals.Targets;

// Where does a gate's time go? Replays the gate's per-row pipeline single-threaded with a stopwatch around each step,
// then runs the real engine (SuiteRunner.RunAsync) in-process and writes run.json, as `flywheel gate` does.
//   flywheel-bench-profile [--root bench/out/gen] [--schema-rows 5000] [--skip-stages] [--skip-engine] [--alloc]
var root = "bench/out/gen";
var schemaRows = 5_000;
bool stages = true, engine = true, alloc = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--root" when i + 1 < args.Length: root = args[++i]; break;
        case "--schema-rows" when i + 1 < args.Length: schemaRows = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--skip-stages": stages = false; break;
        case "--skip-engine": engine = false; break;
        case "--alloc": alloc = true; break;
        default: Console.Error.WriteLine("usage: flywheel-bench-profile [--root DIR] [--schema-rows N] [--skip-stages] [--skip-engine] [--alloc]"); return 2;
    }
}

root = Path.GetFullPath(root);
var total = Stopwatch.StartNew();
var schemas = await FlywheelSchemas.LoadAsync();
var suite = await new SuiteLoader(schemas).LoadAsync("evaluators/flywheel.json", root, CancellationToken.None);
var reader = new DatasetReader(schemas);
var diagnostics = new DiagnosticBag();
var dataset = await reader.LoadAsync(suite.Root, suite.Datasets[0].Path, diagnostics, CancellationToken.None) ?? throw new InvalidOperationException("dataset did not load");
var evaluators = suite.Evaluators.Select(EvaluatorFactory.Create).ToList();
var responsesPath = Path.Combine(root, suite.Target.Responses!);
Console.WriteLine($"suite {root}: {new FileInfo(dataset.RowsPath).Length / 1e6:0.0} MB rows.jsonl, {new FileInfo(responsesPath).Length / 1e6:0.0} MB responses; {Environment.ProcessorCount} cores; {Environment.Version}");

if (stages)
{
    // Each pass runs twice; the second (JIT-warm) is reported.
    for (var pass = 1; pass <= 2; pass++)
    {
        var report = pass == 2;
        var rows = 0;
        await Measure("read rows.jsonl lines (JsonLines)", report, () => 0, async () =>
        {
            await foreach (var line in DatasetReader.ReadLinesAsync(dataset))
            {
                rows++;
            }
        });
        await Measure("read responses.jsonl lines", report, () => rows, async () =>
        {
            await foreach (var line in JsonLines.ReadUtf8Async(responsesPath))
            {
            }
        });
        await Measure("rows: JsonDocument.Parse", report, () => rows, async () =>
        {
            await foreach (var line in DatasetReader.ReadLinesAsync(dataset))
            {
                using var document = JsonDocument.Parse(line.Utf8);
            }
        });
        await Measure("rows: JsonDocument.Parse + RowShape.IsValid", report, () => rows, async () =>
        {
            await foreach (var line in DatasetReader.ReadLinesAsync(dataset))
            {
                using var document = JsonDocument.Parse(line.Utf8);
                if (!RowShape.IsValid(document.RootElement))
                {
                    throw new InvalidOperationException($"line {line.Number} fails the shape check");
                }
            }
        });
        await Measure("rows: DatasetReader.ParseRow (gate: parse+shape+build)", report, () => rows, async () =>
        {
            await foreach (var line in DatasetReader.ReadLinesAsync(dataset))
            {
                _ = reader.ParseRow(line, dataset.RowsDisplayPath, diagnostics, thorough: false) ?? throw new InvalidOperationException($"line {line.Number} is invalid");
            }
        });
        var schemaCount = 0;
        await Measure($"rows: NJsonSchema validation (validate), first {schemaRows} rows, scaled", report, () => rows, async () =>
        {
            await foreach (var line in DatasetReader.ReadLinesAsync(dataset))
            {
                if (++schemaCount > schemaRows)
                {
                    break;
                }

                if (FlywheelSchemas.Validate(schemas.Row, line.Text).Count > 0)
                {
                    throw new InvalidOperationException($"line {line.Number} fails row.schema.json");
                }
            }
        }, scale: rows / (double)Math.Min(schemaRows, rows));

        // The gate's row pipeline, one row at a time, each step on its own clock.
        var clocks = new Dictionary<string, long>(StringComparer.Ordinal);
        var allocations = new Dictionary<string, long>(StringComparer.Ordinal);
        var allocatedAt = GC.GetTotalAllocatedBytes(precise: true);
        void Add(string step, long started)
        {
            clocks[step] = clocks.GetValueOrDefault(step) + (Stopwatch.GetTimestamp() - started);
            var now = GC.GetTotalAllocatedBytes(precise: true);
            allocations[step] = allocations.GetValueOrDefault(step) + (now - allocatedAt);
            allocatedAt = now;
        }
        var aggregator = new CohortAggregator(["intent", "locale", "product"], evaluators.Select(e => e.Name).ToList());
        var spool = new Utf8JsonWriter(Stream.Null, new JsonWriterOptions { Encoder = FlywheelJson.Options.Encoder, SkipValidation = true });
        var before = Snapshot();
        await using (var target = new RecordedTarget(responsesPath, suite.Target.Responses!, dataset.Name, diagnostics))
        {
            await foreach (var line in DatasetReader.ReadLinesAsync(dataset))
            {
                var t = Stopwatch.GetTimestamp();
                allocatedAt = GC.GetTotalAllocatedBytes(precise: true);
                var row = reader.ParseRow(line, dataset.RowsDisplayPath, diagnostics, thorough: false)!;
                Add("1 parse row (ParseRow: JsonDocument + RowShape + RowBuilder)", t);
                t = Stopwatch.GetTimestamp();
                allocatedAt = GC.GetTotalAllocatedBytes(precise: true);
                foreach (var evaluator in evaluators)
                {
                    _ = evaluator.CheckRow(row).Count();
                }

                var applicable = evaluators.Where(e => e.AppliesTo(row)).ToList();
                Add("2 CheckRow + AppliesTo", t);
                t = Stopwatch.GetTimestamp();
                allocatedAt = GC.GetTotalAllocatedBytes(precise: true);
                var response = await target.GetResponseAsync(dataset, row, CancellationToken.None) ?? throw new InvalidOperationException($"no response for {row.Id}");
                Add("3 response (RecordedTarget: parse + deserialize)", t);
                var scores = new List<Score>(applicable.Count);
                foreach (var evaluator in applicable)
                {
                    t = Stopwatch.GetTimestamp();
                allocatedAt = GC.GetTotalAllocatedBytes(precise: true);
                    scores.Add(await evaluator.EvaluateAsync(new EvaluationContext(dataset.Name, row, response), CancellationToken.None));
                    Add($"4 evaluator {evaluator.Name} ({evaluator.Kind})", t);
                }

                t = Stopwatch.GetTimestamp();
                allocatedAt = GC.GetTotalAllocatedBytes(precise: true);
                var passed = scores.Any(s => s.Passed == false) ? false : scores.Count == 0 || scores.Any(s => s.Passed is null) ? (bool?)null : true;
                var runRow = new RunRow
                {
                    Dataset = dataset.Name, Id = row.Id, Line = row.Line, Tags = row.Tags, Review = row.ReviewStatus, Passed = passed,
                    Scores = scores, Input = row.Input, Context = row.Context, Expected = row.Expected, Response = response,
                };
                aggregator.Add(runRow);
                Add("5 aggregate cohorts", t);
                t = Stopwatch.GetTimestamp();
                allocatedAt = GC.GetTotalAllocatedBytes(precise: true);
                var slim = Slim(runRow);
                if (!RowSpool.TryWriteSlim(spool, slim))
                {
                    JsonSerializer.Serialize(spool, slim, FlywheelJson.Options);
                }

                spool.Flush();
                spool.Reset();
                Add("6 spool row (RowSpool writer, slim when passed)", t);
            }
        }

        var after = Snapshot();
        if (report)
        {
            Console.WriteLine();
            Console.WriteLine($"gate pipeline, single thread, {rows} rows: {after.Seconds - before.Seconds:0.00} s wall, {(after.Allocated - before.Allocated) / 1e9:0.00} GB allocated, GCs gen0/1/2 {after.Gen0 - before.Gen0}/{after.Gen1 - before.Gen1}/{after.Gen2 - before.Gen2}, GC pauses {after.Pause - before.Pause:0.00} s");
            var sum = clocks.Values.Sum();
            foreach (var (step, ticks) in clocks.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                Console.WriteLine($"  {step,-62} {Seconds(ticks),6:0.00} s  {Seconds(ticks) * 1e6 / rows,6:0.0} µs/row  {100.0 * ticks / sum,5:0.0}%  {allocations[step] / 1024.0 / rows,6:0.0} KB/row");
            }

            Console.WriteLine($"  {"(sum of steps; the rest is reading lines and the loop)",-62} {Seconds(sum),6:0.00} s");
        }
    }
}

if (alloc)
{
    // One engine run with allocation sampling on: which types the gate allocates, by sampled bytes.
    using var sampler = new AllocationSampler();
    await using (var result = await SuiteRunner.RunAsync(new RunOptions { Root = root, Concurrency = Math.Max(2, Environment.ProcessorCount), Commit = "bench" }))
    {
        var runJson = Path.Combine(Path.GetTempPath(), $"flywheel-bench-run-{Environment.ProcessId}.json");
        await RunJson.WriteFileAsync(result.Run, runJson, CancellationToken.None);
        File.Delete(runJson);
    }

    Console.WriteLine($"\nGCs by depth: {sampler.GcSummary()}");
    Console.WriteLine("allocations by type (sampled), one engine run + run.json:");
    foreach (var (type, bytes) in sampler.Top(40))
    {
        Console.WriteLine($"  {bytes / 1e6,8:0.0} MB  {type}");
    }
}

if (engine)
{
    Console.WriteLine();
    // The first run pays the JIT; "no git" records a given commit instead of asking LibGit2Sharp for HEAD and status.
    var cores = Math.Max(2, Environment.ProcessorCount);
    (string Name, int Concurrency, string? Commit)[] variants =
    [
        ("default, cold", cores, null), ("default", cores, null), ("default, no git", cores, "bench"),
        ("concurrency 1, no git", 1, "bench"), ("concurrency 4, no git", 4, "bench"),
    ];
    foreach (var (variant, concurrency, commit) in variants)
    {
        var before = Snapshot();
        var clock = Stopwatch.StartNew();
        await using var result = await SuiteRunner.RunAsync(new RunOptions { Root = root, Concurrency = concurrency, Commit = commit });
        var run = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var runJson = Path.Combine(Path.GetTempPath(), $"flywheel-bench-run-{Environment.ProcessId}.json");
        await RunJson.WriteFileAsync(result.Run, runJson, CancellationToken.None);
        var write = clock.Elapsed.TotalSeconds;
        var size = new FileInfo(runJson).Length;
        File.Delete(runJson);
        clock.Restart();
        await new ConsoleReport().WriteAsync(result.Run, TextWriter.Null, CancellationToken.None);
        var console = clock.Elapsed.TotalSeconds;
        var after = Snapshot();
        Console.WriteLine($"SuiteRunner.RunAsync [{variant}, concurrency {concurrency}]: {run:0.00} s, CPU {after.Cpu - before.Cpu:0.00} s; run.json write {write:0.00} s ({size / 1e6:0.0} MB); console report {console:0.00} s; " +
                          $"{(after.Allocated - before.Allocated) / 1e9:0.00} GB allocated, GCs gen0/1/2 {after.Gen0 - before.Gen0}/{after.Gen1 - before.Gen1}/{after.Gen2 - before.Gen2}, GC pauses {after.Pause - before.Pause:0.00} s; verdict {result.Run.Verdict}");
    }
}

using (var self = Process.GetCurrentProcess())
{
    Console.WriteLine($"\nprofile took {total.Elapsed.TotalSeconds:0.0} s; peak working set {self.PeakWorkingSet64 / 1048576} MB");
}

return 0;

static double Seconds(long ticks) => ticks / (double)Stopwatch.Frequency;

static (double Seconds, double Cpu, long Allocated, int Gen0, int Gen1, int Gen2, double Pause) Snapshot()
{
    using var self = Process.GetCurrentProcess();
    return (Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency, self.TotalProcessorTime.TotalSeconds, GC.GetTotalAllocatedBytes(precise: false),
        GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration().TotalSeconds);
}

static async Task Measure(string name, bool report, Func<int> rows, Func<Task> body, double scale = 1)
{
    var before = Snapshot();
    await body();
    var after = Snapshot();
    if (report)
    {
        var seconds = (after.Seconds - before.Seconds) * scale;
        var perRow = rows() > 0 ? $"{seconds * 1e6 / rows(),7:0.0} µs/row" : string.Empty;
        Console.WriteLine($"{name,-70} {seconds,6:0.00} s {perRow}  {(after.Allocated - before.Allocated) * scale / 1e9,5:0.00} GB alloc");
    }
}

// As the engine keeps rows: a passing row keeps its scores only.
static RunRow Slim(RunRow row) => row.Passed == true
    ? row with
    {
        Input = null,
        Context = null,
        Expected = null,
        Response = row.Response is null ? null : new Response { Id = row.Response.Id, Model = row.Response.Model, LatencyMs = row.Response.LatencyMs, InputTokens = row.Response.InputTokens, OutputTokens = row.Response.OutputTokens },
        Scores = row.Scores.Select(s => s with { Details = null }).ToList(),
    }
    : row;
