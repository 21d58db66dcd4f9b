using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

// Writes <out>/datasets/bench/{dataset.json,rows.jsonl}, <out>/responses.jsonl and <out>/evaluators/flywheel.json:
// N rows over 8 intents, 3 locales and 5 products, about 90% of responses right and 10% wrong in one of three ways.
// Same N and seed, same bytes.
var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var output = args.Length > 1 ? args[1] : "bench/out/gen";
var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20261122;
var random = new Random(seed);

string[] intents = ["mortgage_payoff", "card_dispute", "wire_transfer", "account_balance", "escalation", "card_limit", "statement", "fraud_report"];
string[] locales = ["en-US", "en-GB", "es-ES"];
string[] products = ["mortgage", "credit_card", "checking", "savings", "wire"];
var tools = JsonNode.Parse("""
    [{"name":"get_balance","description":"Current balance of one account","parameters":{"type":"object","properties":{"account_id":{"type":"string"}},"required":["account_id"]}},
     {"name":"get_payoff_quote","description":"Payoff quote for a loan","parameters":{"type":"object","properties":{"loan_id":{"type":"string"},"as_of":{"type":"string"}},"required":["loan_id"]}},
     {"name":"transfer_to_agent","description":"Hand over to a human","parameters":{"type":"object","properties":{"reason":{"type":"string"}},"required":["reason"]}}]
    """)!;

Directory.CreateDirectory(Path.Combine(output, "datasets", "bench"));
Directory.CreateDirectory(Path.Combine(output, "evaluators"));
var utf8 = new UTF8Encoding(false);
await using var rowsFile = new StreamWriter(Path.Combine(output, "datasets", "bench", "rows.jsonl"), false, utf8, 1 << 16);
await using var responsesFile = new StreamWriter(Path.Combine(output, "responses.jsonl"), false, utf8, 1 << 16);
for (var i = 0; i < rows; i++)
{
    var id = $"row-{i:D7}";
    var intent = intents[i % intents.Length];
    var account = $"A-{100000 + i}";
    var amount = (random.Next(100, 99_999) + (random.Next(0, 100) / 100.0)).ToString("N2", CultureInfo.InvariantCulture);
    var day = 1 + (i % 28);
    var answer = $"Your balance for account {account} is ${amount} as of Nov {day}.";
    var context = new JsonArray
    {
        new JsonObject { ["id"] = $"acct-{i}", ["text"] = $"Account {account} balance is ${amount} as of Nov {day}. Pending card authorizations are not included in the available balance." },
        new JsonObject { ["id"] = $"policy-{i % 40}", ["text"] = $"Policy section {i % 40}: customers may dispute a charge within 60 days of the statement date; a monthly fee of $12 applies below $1,500." },
    };
    var parallel = i % 7 == 0;
    var noTool = i % 5 == 0;
    var expectedCalls = noTool ? new JsonArray()
        : parallel ? new JsonArray { Call(account), Call($"S-{200000 + i}") }
        : new JsonArray { Call(account) };
    var row = new JsonObject
    {
        ["id"] = id,
        ["tags"] = new JsonObject { ["intent"] = intent, ["locale"] = locales[i % locales.Length], ["product"] = products[i % products.Length] },
        ["input"] = new JsonArray { new JsonObject { ["role"] = "user", ["content"] = $"Hi, what is the current balance of my account {account}? I need it for a payment due on Nov {day}." } },
        ["context"] = context,
        ["expected"] = new JsonObject { ["answers"] = new JsonArray(answer, $"The balance of {account} is ${amount} as of Nov {day}."), ["tool_calls"] = expectedCalls },
        ["tools"] = tools.DeepClone(),
        ["review"] = new JsonObject { ["status"] = i % 250 == 0 ? "pending" : "approved" },
    };
    await rowsFile.WriteLineAsync(row.ToJsonString());

    // One response in ten is wrong: an invented figure, the wrong tool, or a paraphrase too loose for token F1.
    var wrong = random.Next(10) == 0 ? random.Next(3) : -1;
    var text = wrong switch
    {
        0 => $"Your balance for account {account} is ${amount} as of Nov {day}. A $35 maintenance fee was also charged.",
        2 => "I checked and everything looks fine with your account today.",
        _ => answer,
    };
    var calls = noTool ? new JsonArray()
        : wrong == 1 ? new JsonArray { new JsonObject { ["name"] = "get_payoff_quote", ["arguments"] = new JsonObject { ["loan_id"] = account } } }
        : parallel ? new JsonArray { Actual($"S-{200000 + i}"), Actual(account) }
        : new JsonArray { Actual(account) };
    var response = new JsonObject
    {
        ["id"] = id,
        ["output"] = text,
        ["tool_calls"] = calls,
        ["model"] = "gpt-4.1-mini-2025-04-14",
        ["latency_ms"] = random.Next(300, 2500),
        ["input_tokens"] = random.Next(500, 1500),
        ["output_tokens"] = random.Next(20, 120),
    };
    await responsesFile.WriteLineAsync(response.ToJsonString());
}

await File.WriteAllTextAsync(Path.Combine(output, "datasets", "bench", "dataset.json"),
    """{"name": "bench", "version": "1.0.0", "description": "Generated benchmark rows", "cohort_keys": ["intent", "locale", "product"]}""" + "\n", utf8);
await File.WriteAllTextAsync(Path.Combine(output, "evaluators", "flywheel.json"), """
    {
      "datasets": ["datasets/bench"],
      "target": { "kind": "recorded", "responses": "responses.jsonl" },
      "evaluators": [
        { "name": "answer", "kind": "ground-truth-match", "method": "token-f1", "threshold": 0.6 },
        { "name": "grounded", "kind": "groundedness", "method": "lexical", "threshold": 0.7 },
        { "name": "tools", "kind": "tool-selection" }
      ],
      "gates": [
        { "cohort": "intent=*", "min_pass_rate": 0.8 },
        { "cohort": "*", "max_drop": 0.02 }
      ]
    }
    """, utf8);
Console.WriteLine($"wrote {rows} rows to {output}");

static JsonObject Call(string account) => new() { ["name"] = "get_balance", ["arguments"] = new JsonObject { ["account_id"] = new JsonArray(account) } };

static JsonObject Actual(string account) => new() { ["name"] = "get_balance", ["arguments"] = new JsonObject { ["account_id"] = account } };
