using Flywheel.Evals.Chat;
using Flywheel.Evals.Runs;

namespace Flywheel.Evals.Tests.Support;

/// <summary>A temporary suite whose llm evaluators (and optionally chat target) call a test server; the key is a canary in a fake environment.</summary>
internal sealed class JudgeSuite : IDisposable
{
    public const string KeyVariable = "FLYWHEEL_TEST_JUDGE_KEY";

    public const string Rows = """
        {"id":"pay-0001","tags":{"intent":"pay","locale":"en-US"},"input":[{"role":"user","content":"What is the payoff for loan L-1?"}],"context":[{"id":"q1","text":"Payoff quote for loan L-1: $1,200.00, valid until Nov 30."}],"expected":{"answers":["Your payoff amount is $1,200.00, valid until Nov 30."]}}
        {"id":"pay-0002","tags":{"intent":"pay","locale":"en-US"},"input":[{"role":"user","content":"What is the payoff for loan L-2?"}],"context":[{"id":"q2","text":"Payoff quote for loan L-2: $900.00, valid until Dec 1."}],"expected":{"answers":["Your payoff amount is $900.00, valid until Dec 1."]}}
        {"id":"pay-0003","tags":{"intent":"pay","locale":"en-US"},"input":[{"role":"user","content":"What is the payoff for loan L-3?"}],"context":[{"id":"q3","text":"Payoff quote for loan L-3: $50.00, valid until Dec 2."}],"expected":{"answers":["Your payoff amount is $50.00, valid until Dec 2."]}}
        {"id":"wire-0001","tags":{"intent":"wire","locale":"en-US"},"input":[{"role":"user","content":"Send 500 euros to Ana Lopez"}],"expected":{"tool_calls":[{"name":"initiate_wire_transfer","arguments":{"beneficiary":["Ana Lopez"],"amount":[500]}}]},"tools":[{"name":"initiate_wire_transfer","description":"Starts a wire transfer","parameters":{"type":"object","properties":{"beneficiary":{"type":"string","description":"who receives the money"},"amount":{"type":"number"}},"required":["beneficiary","amount"]}}]}
        """;

    // pay-0001 right in other words, pay-0002 a wrong amount, pay-0003 right with an invented fee; wire-0001 a free-text name.
    public const string Responses = """
        {"id":"pay-0001","output":"The payoff amount for L-1 is $1,200.00 and the quote is valid until Nov 30.","model":"agent-1"}
        {"id":"pay-0002","output":"Your payoff amount is $950.00, valid until Dec 1.","model":"agent-1"}
        {"id":"pay-0003","output":"Your payoff amount is $50.00, valid until Dec 2. A $35 processing fee applies.","model":"agent-1"}
        {"id":"wire-0001","output":"","tool_calls":[{"name":"initiate_wire_transfer","arguments":{"beneficiary":"Ms. Ana Lopez (savings)","amount":500}}],"model":"agent-1"}
        """;

    private readonly TempDirectory _directory = new();

    public JudgeSuite(Uri endpoint, string evaluators, string judgeExtra = "", string? target = null, string? rows = null, string? responses = null)
    {
        Endpoint = endpoint;
        _directory.Write("datasets/demo/dataset.json", """{"name":"demo","version":"1.0.0","cohort_keys":["intent"]}""");
        _directory.Write("datasets/demo/rows.jsonl", (rows ?? Rows) + "\n");
        _directory.Write("responses.jsonl", (responses ?? Responses) + "\n");
        foreach (var prompt in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "prompts"), "*.md"))
        {
            _directory.Write($"evaluators/prompts/{Path.GetFileName(prompt)}", File.ReadAllText(prompt));
        }

        var targetJson = target ?? """{ "kind": "recorded", "responses": "responses.jsonl" }""";
        _directory.Write("evaluators/flywheel.json", $$"""
            {
              "datasets": ["datasets/demo"],
              "target": {{targetJson}},
              "judge": { "endpoint": "{{endpoint}}", "model": "judge-model", "api_key_env": "{{KeyVariable}}"{{judgeExtra}} },
              "evaluators": {{evaluators}},
              "gates": [ { "cohort": "*", "min_pass_rate": 0.5 } ]
            }
            """);
    }

    public Uri Endpoint { get; }

    public string Root => _directory.Path;

    /// <summary>A fresh canary key per suite: tests assert it reaches the server and nothing else.</summary>
    public string Key { get; } = $"sk-canary-{Guid.NewGuid():N}";

    public string CacheDirectory => Path.Combine(Root, ".flywheel", "cache");

    public string Write(string relative, string text) => _directory.Write(relative, text);

    public RunOptions Options(int? maxCalls = null, int? repeats = null, int concurrency = 8, bool readCache = true) => new()
    {
        Root = Root,
        ModelCalls = new ModelCallOptions
        {
            Environment = name => name == KeyVariable ? Key : null,
            MaxCalls = maxCalls,
            JudgeRepeats = repeats,
            Concurrency = concurrency,
            ReadCache = readCache,
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        },
    };

    public Task<RunResult> RunAsync(int? maxCalls = null, int? repeats = null, int concurrency = 8, bool readCache = true) =>
        SuiteRunner.RunAsync(Options(maxCalls, repeats, concurrency, readCache), TestContext.Current.CancellationToken);

    public void Dispose() => _directory.Dispose();
}
