using System.Text;

namespace Flywheel.Action.Tests.Support;

/// <summary>A throw-away suite on disk: one small valid dataset, its responses and a suite config, each replaceable by a test.</summary>
internal sealed class TempSuite : IDisposable
{
    public const string ValidRows =
        """
        {"id":"balance-0001","tags":{"intent":"balance","locale":"en-US"},"input":[{"role":"user","content":"What is my checking balance?"}],"context":[{"id":"acct","text":"Checking account CHK-1 balance: $1,250.00 as of today."}],"expected":{"answers":["Your checking balance is $1,250.00."],"tool_calls":[{"name":"get_balance","arguments":{"account_id":["CHK-1"]}}]},"tools":[{"name":"get_balance","parameters":{"type":"object","properties":{"account_id":{"type":"string"}},"required":["account_id"]}}]}
        {"id":"balance-0002","tags":{"intent":"balance","locale":"es-ES"},"input":[{"role":"user","content":"¿Cuál es mi saldo de ahorro?"}],"context":[{"id":"acct","text":"Saldo de la cuenta de ahorro SAV-9: 3.400,50 € a fecha de hoy."}],"expected":{"answers":["Su saldo de ahorro es de 3.400,50 €."],"tool_calls":[{"name":"get_balance","arguments":{"account_id":["SAV-9"]}}]}}
        {"id":"policy-0001","tags":{"intent":"policy","locale":"en-US"},"input":[{"role":"user","content":"How long does a dispute take?"}],"context":[{"id":"pol","text":"Card disputes are resolved within 10 business days."}],"expected":{"answers":["Card disputes are resolved within 10 business days."],"tool_calls":[]}}
        """;

    public const string ValidResponses =
        """
        {"id":"balance-0001","output":"Your checking balance is $1,250.00.","tool_calls":[{"name":"get_balance","arguments":{"account_id":"CHK-1"}}],"model":"test-model"}
        {"id":"balance-0002","output":"Su saldo de ahorro es de 3.400,50 €.","tool_calls":[{"name":"get_balance","arguments":{"account_id":"SAV-9"}}],"model":"test-model"}
        {"id":"policy-0001","output":"Card disputes are resolved within 10 business days.","tool_calls":[],"model":"test-model"}
        """;

    public const string ValidSuite =
        """
        {
          "datasets": ["datasets/demo"],
          "target": { "kind": "recorded", "responses": "responses.jsonl" },
          "evaluators": [
            { "name": "answer", "kind": "ground-truth-match", "method": "token-f1", "threshold": 0.6 },
            { "name": "grounded", "kind": "groundedness", "method": "lexical", "threshold": 0.7 },
            { "name": "tools", "kind": "tool-selection" }
          ],
          "gates": [
            { "cohort": "intent=*", "min_pass_rate": 0.9 },
            { "cohort": "*", "max_drop": 0.02 }
          ]
        }
        """;

    public TempSuite()
    {
        Root = Directory.CreateTempSubdirectory("flywheel-e2e-").FullName;
        Write("datasets/demo/dataset.json", """{"name":"demo","version":"1.0.0","cohort_keys":["intent","locale"]}""");
        Write("datasets/demo/rows.jsonl", ValidRows + "\n");
        Write("responses.jsonl", ValidResponses + "\n");
        Write("evaluators/flywheel.json", ValidSuite);
    }

    public string Root { get; }

    public string RowsPath => Path.Combine(Root, "datasets/demo/rows.jsonl");

    public string RunJson => Path.Combine(Root, ".flywheel/out/run.json");

    public void Write(string relative, string text) => WriteBytes(relative, new UTF8Encoding(false).GetBytes(text));

    public void WriteBytes(string relative, byte[] bytes)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    public string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    /// <summary>
    /// Replaces the dataset with <paramref name="rows"/> generated rows (intents a, b, c, long inputs) and writes their
    /// responses to <paramref name="responses"/>, every one right or every one wrong. A failing row is kept whole in
    /// run.json, so wrong answers make a run.json of about 1.5 kB per row.
    /// </summary>
    public void Generate(int rows, bool right, string responses = "responses.jsonl")
    {
        var dataset = new StringBuilder();
        var answers = new StringBuilder();
        var question = string.Concat(Enumerable.Repeat("please tell me about the balance of my account and the policy for disputes ", 5));
        for (var i = 0; i < rows; i++)
        {
            var id = $"r-{i:000000}";
            var answer = $"The answer to {id} is yes.";
            dataset.Append($$$"""{"id":"{{{id}}}","tags":{"intent":"{{{(char)('a' + (i % 3))}}}","locale":"en-US"},"input":[{"role":"user","content":"Question {{{id}}}: {{{question}}}"}],"context":[{"id":"doc","text":"{{{string.Concat(Enumerable.Repeat(answer + " ", 10))}}}"}],"expected":{"answers":["{{{answer}}}"],"tool_calls":[]}}""").Append('\n');
            answers.Append($$"""{"id":"{{id}}","output":"{{(right ? answer : "I do not know, sorry.")}}","tool_calls":[],"model":"test-model"}""").Append('\n');
        }

        Write("datasets/demo/rows.jsonl", dataset.ToString());
        Write(responses, answers.ToString());
    }

    public Task<ProcessResult> RunAsync(params string[] args) => FlywheelProcess.RunAsync(Root, [.. args, "--root", Root]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
