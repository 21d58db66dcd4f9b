using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Flywheel.Bench.Generate;

// Writes a benchmark suite for `flywheel gate` into --out:
//   datasets/bench/dataset.json, datasets/bench/rows.jsonl   N rows, ids row-0000001 ... (ordinal order)
//   responses.jsonl                                           one recorded response per row, ~90% right
//   evaluators/flywheel.json                                  token F1 + lexical groundedness + tool selection; gates
// The same --rows and --seed give the same bytes; row k is the same whatever --rows is.
const string Usage = "usage: flywheel-bench-generate [--rows N] [--seed S] [--wrong-rate R] --out DIR";
var rows = 100_000;
var seed = 20261122;
var wrongRate = 0.10;
string? output = null;
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--rows" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
            rows = n;
            i++;
            break;
        case "--seed" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s):
            seed = s;
            i++;
            break;
        case "--wrong-rate" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var w) && w is >= 0 and <= 1:
            wrongRate = w;
            i++;
            break;
        case "--out" when value is not null:
            output = value;
            i++;
            break;
        default:
            Console.Error.WriteLine($"flywheel-bench-generate: bad argument '{args[i]}'\n{Usage}");
            return 2;
    }
}

if (output is null)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

var clock = Stopwatch.StartNew();
var datasetDir = Path.Combine(output, "datasets", "bench");
Directory.CreateDirectory(datasetDir);
Directory.CreateDirectory(Path.Combine(output, "evaluators"));
var utf8 = new UTF8Encoding(false);
var json = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };
var idWidth = Math.Max(7, rows.ToString(CultureInfo.InvariantCulture).Length);
var wrongKinds = new int[3];

await using (var rowsStream = new FileStream(Path.Combine(datasetDir, "rows.jsonl"), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
await using (var responsesStream = new FileStream(Path.Combine(output, "responses.jsonl"), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
{
    using var rowWriter = new Utf8JsonWriter(rowsStream, json);
    using var responseWriter = new Utf8JsonWriter(responsesStream, json);
    for (var n = 1; n <= rows; n++)
    {
        var r = Rng.ForRow(seed, n);
        var id = "row-" + n.ToString(CultureInfo.InvariantCulture).PadLeft(idWidth, '0');
        var intent = r.Pick(Scenarios.Intents);
        var localeDraw = r.NextDouble();
        var lang = new Lang(localeDraw < 0.5 ? "en-US" : localeDraw < 0.75 ? "en-GB" : "es-ES");
        var c = Scenarios.Create(intent, r, lang);
        if (r.Chance(0.3))
        {
            c.Input.Insert(0, Scenarios.SystemMessage(lang));
        }

        if (c.Context.Count < 3 && r.Chance(0.25))
        {
            c.Context.Add(Scenarios.SupportChunk(r, lang));
        }

        WriteRow(rowWriter, id, lang.Locale, c, r);
        rowWriter.Flush();
        rowWriter.Reset();
        rowsStream.WriteByte((byte)'\n');

        // One response in ten (by default) is wrong in one of three ways; the rest say one of the acceptable answers.
        var wrong = r.Chance(wrongRate) ? r.Next(3) : -1;
        if (wrong >= 0)
        {
            wrongKinds[wrong]++;
        }

        var answer = r.Chance(0.7) ? c.Answers[0] : c.Answers[1];
        if (!lang.Es && r.Chance(0.15))
        {
            answer = "Sure. " + answer;
        }

        var (text, calls) = wrong switch
        {
            0 => (answer, c.WrongCalls),
            1 => (c.Invented, c.Calls),
            2 => (c.Paraphrase, c.Calls),
            _ => (answer, c.Calls),
        };
        WriteResponse(responseWriter, id, text, calls, r);
        responseWriter.Flush();
        responseWriter.Reset();
        responsesStream.WriteByte((byte)'\n');
    }
}

await File.WriteAllTextAsync(Path.Combine(datasetDir, "dataset.json"),
    """{"name": "bench", "version": "1.0.0", "cohort_keys": ["intent", "locale", "product"]}""" + "\n", utf8);
await File.WriteAllTextAsync(Path.Combine(output, "evaluators", "flywheel.json"), """
    {
      "datasets": ["datasets/bench"],
      "target": {"kind": "recorded", "responses": "responses.jsonl"},
      "evaluators": [
        {"name": "answer", "kind": "ground-truth-match", "method": "token-f1", "threshold": 0.6},
        {"name": "grounded", "kind": "groundedness", "method": "lexical", "threshold": 0.7},
        {"name": "tools", "kind": "tool-selection"}
      ],
      "gates": [
        {"cohort": "intent=*", "min_pass_rate": 0.8},
        {"cohort": "*", "max_drop": 0.02}
      ]
    }

    """, utf8);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"wrote {rows} rows (seed {seed}; wrong responses: {wrongKinds[0]} wrong tool, {wrongKinds[1]} invented figure, {wrongKinds[2]} paraphrase) to {output} in {clock.Elapsed.TotalSeconds:0.0} s"));
return 0;

static void WriteRow(Utf8JsonWriter w, string id, string locale, Case c, Rng r)
{
    w.WriteStartObject();
    w.WriteString("id", id);
    w.WriteStartObject("tags");
    w.WriteString("intent", c.Intent);
    w.WriteString("locale", locale);
    w.WriteString("product", c.Product);
    w.WriteEndObject();
    w.WriteStartArray("input");
    foreach (var (role, content) in c.Input)
    {
        w.WriteStartObject();
        w.WriteString("role", role);
        w.WriteString("content", content);
        w.WriteEndObject();
    }

    w.WriteEndArray();
    w.WriteStartArray("context");
    foreach (var (chunkId, text) in c.Context)
    {
        w.WriteStartObject();
        w.WriteString("id", chunkId);
        w.WriteString("text", text);
        w.WriteEndObject();
    }

    w.WriteEndArray();
    w.WriteStartObject("expected");
    w.WriteStartArray("answers");
    foreach (var answer in c.Answers)
    {
        w.WriteStringValue(answer);
    }

    w.WriteEndArray();
    WriteCalls(w, "tool_calls", c.Expected);
    if (c.ToolOrder is not null)
    {
        w.WriteString("tool_order", c.ToolOrder);
    }

    w.WriteEndObject();
    w.WriteStartArray("tools");
    foreach (var tool in c.Tools)
    {
        w.WriteRawValue(Tools.Json(tool), skipInputValidation: true);
    }

    w.WriteEndArray();
    if (r.Chance(0.4))
    {
        // A row promoted from a production trace.
        w.WriteStartObject("source");
        w.WriteString("trace_id", r.Hex(16));
        w.WriteString("failure_mode", r.Pick(new[] { "ungrounded", "wrong_tool", "missing_parallel_call", "wrong_argument", "invented_amount", "wrong_language" }));
        w.WriteString("promoted_by", r.Pick(new[] { "jdoe", "lchen", "apatel", "rokafor", "mgarcia" }));
        w.WriteString("promoted_at", string.Create(CultureInfo.InvariantCulture, $"2026-{r.Next(1, 11):D2}-{r.Next(1, 29):D2}T{r.Next(24):D2}:{r.Next(60):D2}:{r.Next(60):D2}Z"));
        w.WriteEndObject();
    }

    var status = r.NextDouble();
    var reviewer = r.Pick(new[] { "jdoe", "lchen", "apatel", "rokafor", "mgarcia" });
    w.WriteStartObject("review");
    w.WriteString("status", status < 0.985 ? "approved" : status < 0.995 ? "pending" : "disputed");
    w.WriteStartArray("reviewers");
    w.WriteStringValue(reviewer);
    w.WriteEndArray();
    if (r.Chance(0.5))
    {
        w.WriteStartArray("labels");
        w.WriteStartObject();
        w.WriteString("reviewer", reviewer);
        w.WriteString("label", r.Pick(new[] { "expected_verified", "amount_verified", "tool_args_checked", "grounded_in_policy" }));
        w.WriteEndObject();
        w.WriteEndArray();
    }

    w.WriteEndObject();
    w.WriteEndObject();
}

static void WriteResponse(Utf8JsonWriter w, string id, string output, IReadOnlyList<Call> calls, Rng r)
{
    w.WriteStartObject();
    w.WriteString("dataset", "bench");
    w.WriteString("id", id);
    w.WriteString("output", output);
    WriteCalls(w, "tool_calls", calls);
    w.WriteString("model", r.Chance(0.9) ? "gpt-4.1-mini-2025-04-14" : "gpt-4.1-2025-04-14");
    w.WriteNumber("latency_ms", r.Next(300, 4_000));
    w.WriteNumber("input_tokens", r.Next(400, 2_200));
    w.WriteNumber("output_tokens", r.Next(20, 160));
    w.WriteEndObject();
}

static void WriteCalls(Utf8JsonWriter w, string name, IReadOnlyList<Call> calls)
{
    w.WriteStartArray(name);
    foreach (var call in calls)
    {
        w.WriteStartObject();
        w.WriteString("name", call.Name);
        w.WritePropertyName("arguments");
        call.Arguments.WriteTo(w);
        w.WriteEndObject();
    }

    w.WriteEndArray();
}
