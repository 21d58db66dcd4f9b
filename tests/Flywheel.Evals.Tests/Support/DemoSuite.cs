namespace Flywheel.Evals.Tests.Support;

/// <summary>A small valid suite on disk: four rows over two intents, good and bad responses.</summary>
internal sealed class DemoSuite : IDisposable
{
    public const string Rows = """
        {"id":"pay-0001","tags":{"intent":"pay","locale":"en-US"},"input":[{"role":"user","content":"Payoff for L-1?"}],"context":[{"id":"q1","text":"Payoff quote for loan L-1: $1,200.00, valid until Nov 30."}],"expected":{"answers":["Your payoff amount is $1,200.00, valid until Nov 30."],"tool_calls":[{"name":"get_payoff_quote","arguments":{"loan_id":["L-1"]}}]}}
        {"id":"pay-0002","tags":{"intent":"pay","locale":"en-US"},"input":[{"role":"user","content":"Payoff for L-2?"}],"context":[{"id":"q2","text":"Payoff quote for loan L-2: $900.00, valid until Dec 1."}],"expected":{"answers":["Your payoff amount is $900.00, valid until Dec 1."],"tool_calls":[{"name":"get_payoff_quote","arguments":{"loan_id":["L-2"]}}]}}
        {"id":"pay-0003","tags":{"intent":"pay","locale":"en-US"},"input":[{"role":"user","content":"Payoff for L-3?"}],"context":[{"id":"q3","text":"Payoff quote for loan L-3: $50.00, valid until Dec 2."}],"expected":{"answers":["Your payoff amount is $50.00, valid until Dec 2."]},"review":{"status":"pending"}}
        {"id":"wire-0001","tags":{"intent":"wire","locale":"es-ES"},"input":[{"role":"user","content":"Envía 500 € a Ana"}],"expected":{"tool_calls":[{"name":"initiate_wire_transfer","arguments":{"beneficiary":["Ana"],"amount":[500]}}]},"tools":[{"name":"initiate_wire_transfer","parameters":{"type":"object","properties":{"beneficiary":{"type":"string"},"amount":{"type":"number"}},"required":["beneficiary","amount"]}}]}
        """;

    public const string Good = """
        {"id":"pay-0001","output":"Your payoff amount is $1,200.00, valid until Nov 30.","tool_calls":[{"name":"get_payoff_quote","arguments":{"loan_id":"L-1"}}],"model":"m-1"}
        {"id":"pay-0002","output":"Your payoff amount is $900.00, valid until Dec 1.","tool_calls":[{"name":"get_payoff_quote","arguments":{"loan_id":"L-2"}}],"model":"m-1"}
        {"id":"pay-0003","output":"Your payoff amount is $50.00, valid until Dec 2.","model":"m-1"}
        {"id":"wire-0001","output":"","tool_calls":[{"name":"initiate_wire_transfer","arguments":"{\"beneficiary\":\"Ana\",\"amount\":500}"}],"model":"m-1"}
        """;

    public const string Bad = """
        {"id":"pay-0001","output":"Your payoff amount is $1,235.00, including a $35 fee, valid until Nov 30.","tool_calls":[{"name":"get_payoff_quote","arguments":{"loan_id":"L-1"}}],"model":"m-2"}
        {"id":"pay-0002","output":"Your payoff amount is $900.00, valid until Dec 1.","tool_calls":[{"name":"get_payoff_quote","arguments":{"loan_id":"L-2"}}],"model":"m-2"}
        {"id":"pay-0003","output":"Your payoff amount is $85.00.","model":"m-2"}
        {"id":"wire-0001","output":"","tool_calls":[{"name":"initiate_ach_transfer","arguments":{"beneficiary":"Ana","amount":500}}],"model":"m-2"}
        """;

    public const string Suite = """
        {
          "datasets": ["datasets/demo"],
          "target": { "kind": "recorded", "responses": "good.jsonl" },
          "evaluators": [
            { "name": "answer", "kind": "ground-truth-match", "method": "token-f1", "threshold": 0.6 },
            { "name": "grounded", "kind": "groundedness", "threshold": 0.7 },
            { "name": "tools", "kind": "tool-selection" }
          ],
          "gates": [
            { "cohort": "intent=*", "min_pass_rate": 0.9 },
            { "cohort": "*", "max_drop": 0.02 }
          ]
        }
        """;

    private readonly TempDirectory _directory = new();

    public DemoSuite()
    {
        _directory.Write("datasets/demo/dataset.json", """{"name":"demo","version":"2.1.0","cohort_keys":["intent","locale"]}""");
        _directory.Write("datasets/demo/rows.jsonl", Rows + "\n");
        _directory.Write("good.jsonl", Good + "\n");
        _directory.Write("bad.jsonl", Bad + "\n");
        _directory.Write("evaluators/flywheel.json", Suite);
    }

    public string Root => _directory.Path;

    public string PathOf(string relative) => System.IO.Path.Combine(Root, relative);

    public void Dispose() => _directory.Dispose();
}
