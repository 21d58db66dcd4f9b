using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Flywheel.Testing.ChatServer;

// Times the real `flywheel gate` (a child process) with two llm evaluators against a local OpenAI-compatible server that
// answers every request after --latency-ms. Each live run starts from an empty cache; each is followed by a cached re-run.
//   flywheel-bench-judge --cli flywheel.dll --suite DIR --prompts DIR [--latency-ms 50] [--concurrency 16] [--runs 3]
// DIR holds a generated suite (bench/Flywheel.Bench.Generate); its evaluators/flywheel.json is replaced by a judged one.
const string Usage = "usage: flywheel-bench-judge --cli FLYWHEEL.dll --suite DIR --prompts DIR [--latency-ms 50] [--concurrency 16] [--runs 3]";
string? cli = null, suiteDir = null, prompts = null;
var latencyMs = 50;
var concurrency = 16;
var runs = 3;
var serveOnly = false;
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--cli" when value is not null: cli = Path.GetFullPath(value); i++; break;
        case "--suite" when value is not null: suiteDir = Path.GetFullPath(value); i++; break;
        case "--prompts" when value is not null: prompts = Path.GetFullPath(value); i++; break;
        case "--latency-ms" when int.TryParse(value, CultureInfo.InvariantCulture, out var l) && l >= 0: latencyMs = l; i++; break;
        case "--concurrency" when int.TryParse(value, CultureInfo.InvariantCulture, out var c) && c > 0: concurrency = c; i++; break;
        case "--runs" when int.TryParse(value, CultureInfo.InvariantCulture, out var r) && r > 0: runs = r; i++; break;
        case "--serve-only": serveOnly = true; break; // for profiling: write the suite, serve until SIGTERM or Ctrl+C

        default:
            Console.Error.WriteLine($"flywheel-bench-judge: bad argument '{args[i]}'\n{Usage}");
            return 2;
    }
}

if (cli is null || suiteDir is null || prompts is null)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

await using var server = await ChatCompletionsServer.StartAsync();
server.Latency = TimeSpan.FromMilliseconds(latencyMs);
server.Record = false;

Directory.CreateDirectory(Path.Combine(suiteDir, "evaluators", "prompts"));
foreach (var prompt in Directory.GetFiles(prompts, "*.md"))
{
    File.Copy(prompt, Path.Combine(suiteDir, "evaluators", "prompts", Path.GetFileName(prompt)), overwrite: true);
}

await File.WriteAllTextAsync(Path.Combine(suiteDir, "evaluators", "flywheel.json"), $$"""
    {
      "datasets": ["datasets/bench"],
      "target": {"kind": "recorded", "responses": "responses.jsonl"},
      "judge": {"endpoint": "{{server.Endpoint}}", "model": "bench-judge", "api_key_env": "FLYWHEEL_BENCH_KEY"},
      "evaluators": [
        {"name": "answer", "kind": "ground-truth-match", "method": "llm"},
        {"name": "grounded", "kind": "groundedness", "method": "llm", "threshold": 0.7}
      ],
      "gates": [{"cohort": "intent=*", "min_pass_rate": 0.5}]
    }

    """, new UTF8Encoding(false));

if (serveOnly)
{
    Console.WriteLine($"serving {server.Endpoint} for {suiteDir}; SIGTERM or Ctrl+C stops");
    var stopped = new TaskCompletionSource();
    using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
    {
        context.Cancel = true;
        stopped.TrySetResult();
    });
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stopped.TrySetResult();
    };
    await stopped.Task;
    return 0;
}

var rows = File.ReadLines(Path.Combine(suiteDir, "datasets", "bench", "rows.jsonl")).Count(l => l.Length > 0);
Console.WriteLine($"suite: {rows} rows × 2 judged evaluators (ground-truth-match llm, groundedness llm); server latency {latencyMs} ms; --concurrency {concurrency}");
Console.WriteLine($"{"run",-4} {"kind",-7} {"wall s",7} {"CPU s",6} {"calls",6} {"hits",5} {"ideal s",8} {"wall/ideal",10} {"engine s",9} {"exit",4}");

var live = new List<(double Wall, int Calls)>();
var cached = new List<double>();
for (var run = 1; run <= runs; run++)
{
    var cache = Path.Combine(suiteDir, ".flywheel", "cache");
    if (Directory.Exists(cache))
    {
        Directory.Delete(cache, recursive: true);
    }

    var (wall, cpu, calls, hits, exit, engine) = await GateAsync();
    var ideal = calls * latencyMs / 1000.0 / concurrency;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{run,-4} {"live",-7} {wall,7:0.00} {cpu,6:0.00} {calls,6} {hits,5} {ideal,8:0.00} {wall / ideal,10:0.00} {engine,9:0.00} {exit,4}"));
    live.Add((wall, calls));

    var (cachedWall, cachedCpu, cachedCalls, cachedHits, cachedExit, cachedEngine) = await GateAsync();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{run,-4} {"cached",-7} {cachedWall,7:0.00} {cachedCpu,6:0.00} {cachedCalls,6} {cachedHits,5} {"–",8} {"–",10} {cachedEngine,9:0.00} {cachedExit,4}"));
    if (cachedCalls != 0)
    {
        Console.Error.WriteLine($"bench: FAILED — the cached re-run made {cachedCalls} call(s)");
        return 1;
    }

    cached.Add(cachedWall);
}

var medianLive = Median(live.Select(l => l.Wall));
var callsPerRun = live[0].Calls;
var idealWall = callsPerRun * latencyMs / 1000.0 / concurrency;
var medianCached = Median(cached);
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"live:   median wall {medianLive:0.00} s for {callsPerRun} calls; ideal {callsPerRun} × {latencyMs} ms / {concurrency} = {idealWall:0.00} s; ratio {medianLive / idealWall:0.00} (target <= 1.25: {(medianLive <= 1.25 * idealWall ? "met" : "MISSED")})"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"cached: median wall {medianCached:0.00} s, 0 calls (target <= 1 s: {(medianCached <= 1.0 ? "met" : "MISSED")})"));
return 0;

async Task<(double Wall, double Cpu, int Calls, long Hits, int Exit, double Engine)> GateAsync()
{
    var before = server.RequestCount;
    // GNU time reports the child's CPU seconds (user + system) on its last stderr line.
    var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var arg in new[] { "-f", "cpu %U %S", "dotnet", cli, "gate", "--root", suiteDir, "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture), "--format", "json", "--quiet", "--progress", "none", "--out", Path.Combine(suiteDir, "..", "run") })
    {
        start.ArgumentList.Add(arg);
    }

    start.Environment["FLYWHEEL_BENCH_KEY"] = "sk-bench-not-a-secret";
    start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(start)!;
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    var wall = clock.Elapsed.TotalSeconds;
    await stdout;
    var errors = await stderr;
    var cpuLine = errors.Split('\n').Last(l => l.StartsWith("cpu ", StringComparison.Ordinal)).Split(' ');
    var cpu = double.Parse(cpuLine[1], CultureInfo.InvariantCulture) + double.Parse(cpuLine[2], CultureInfo.InvariantCulture);
    if (process.ExitCode is not (0 or 1))
    {
        Console.Error.WriteLine($"bench: the gate exited {process.ExitCode}:\n{string.Join('\n', errors.Split('\n').Take(20))}");
        Environment.Exit(1);
    }

    using var runJson = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(suiteDir, "..", "run", "run.json")));
    var engine = runJson.RootElement.GetProperty("duration_ms").GetDouble() / 1000;
    var hits = runJson.RootElement.GetProperty("model_calls").GetProperty("cache_hits").GetInt64();
    return (wall, cpu, server.RequestCount - before, hits, process.ExitCode, engine);
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}
