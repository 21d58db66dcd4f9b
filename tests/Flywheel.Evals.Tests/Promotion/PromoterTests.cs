using System.Security.Cryptography;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Promotion;
using Flywheel.Evals.Schemas;
using Flywheel.Evals.Tests.Support;
using LibGit2Sharp;

namespace Flywheel.Evals.Tests.Promotion;

public sealed class PromoterTests
{
    private const string PersonalTrace = """
        {"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","type":"tags","tags":{"intent":"pay","locale":"en-US"}}
        {"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","type":"message","role":"system","content":"You are the bank's assistant. Escalations go to ops@bank.example."}
        {"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","type":"message","role":"user","content":"I'm jane.doe@example.com, call me on +1 (415) 555-0199 or 020 7946 0958. My card is 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32, member no. MBR-778812. What is the payoff for loan L-7 today?"}
        {"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","type":"retrieval","id":"quote-L-7","text":"Payoff quote for loan L-7: $5,000.00, valid until Nov 30. Account holder jane.doe@example.com, card 4111-1111-1111-1111."}
        {"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","type":"tool_call","name":"get_payoff_quote","arguments":{"loan_id":"L-7"}}
        {"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","type":"response","content":"Your payoff is $5,035.00 including a $35 fee.","model":"gpt-x"}
        """;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Redacts_every_planted_value_and_leaves_the_trace_file_untouched()
    {
        using var repo = new TempRepository();
        repo.WriteDemoSuite(DemoSuite.Good);
        repo.Write("evaluators/flywheel.json", repo.Read("evaluators/flywheel.json").Replace("\"gates\":", "\"redact\": [\"MBR-\\\\d+\"],\n  \"gates\":", StringComparison.Ordinal));
        repo.Commit("base");
        repo.Write("trace.jsonl", PersonalTrace);
        var traceHash = SHA256.HashData(File.ReadAllBytes(repo.PathOf("trace.jsonl")));

        var result = await Promoter.PromoteAsync(Request(repo, "trace.jsonl"), Token);

        var rows = repo.Read("datasets/demo/rows.jsonl");
        string[] planted = ["jane.doe@example.com", "ops@bank.example", "415", "555-0199", "020 7946 0958", "4111", "GB82", "WEST 1234", "MBR-778812"];
        foreach (var value in planted)
        {
            Assert.DoesNotContain(value, rows, StringComparison.Ordinal);
        }

        Assert.Contains("[EMAIL]", rows, StringComparison.Ordinal);
        Assert.Contains("[CARD]", rows, StringComparison.Ordinal);
        Assert.Contains("[IBAN]", rows, StringComparison.Ordinal);
        Assert.Contains("[PHONE]", rows, StringComparison.Ordinal);
        Assert.Contains("[REDACTED]", rows, StringComparison.Ordinal);
        Assert.Contains("loan L-7", rows, StringComparison.Ordinal);
        Assert.Contains("$5,000.00", rows, StringComparison.Ordinal);
        Assert.Equal(traceHash, SHA256.HashData(File.ReadAllBytes(repo.PathOf("trace.jsonl"))));
        Assert.Equal("pay-4bf92f35", result.Id);
    }

    [Fact]
    public async Task Inserts_in_id_order_without_touching_other_lines_and_bumps_the_minor_version()
    {
        using var repo = new TempRepository();
        repo.WriteDemoSuite(DemoSuite.Good);
        repo.Commit("base");
        repo.Write("trace.jsonl", PersonalTrace);
        var before = File.ReadAllLines(repo.PathOf("datasets/demo/rows.jsonl"));

        var result = await Promoter.PromoteAsync(Request(repo, "trace.jsonl") with { Id = "pay-0002a" }, Token);

        var after = File.ReadAllLines(repo.PathOf("datasets/demo/rows.jsonl"));
        Assert.Equal(3, result.Line);
        Assert.Equal([before[0], before[1]], after[..2]);
        Assert.StartsWith("{\"id\":\"pay-0002a\"", after[2], StringComparison.Ordinal);
        Assert.Equal(before[2..], after[3..]);
        Assert.Equal(("2.1.0", "2.2.0"), (result.OldVersion, result.NewVersion));
        Assert.Contains("\"version\":\"2.2.0\"", repo.Read("datasets/demo/dataset.json"), StringComparison.Ordinal);
        var row = await ReadRow(repo, "pay-0002a");
        Assert.Equal(ReviewStatuses.Pending, row.ReviewStatus);
        Assert.Equal(("4bf92f3577b34da6a3ce929d0e0e4736", "ungrounded"), (row.Source!.TraceId, row.Source.FailureMode));
        Assert.Equal(["L-7"], row.Expected!.ToolCalls![0].Arguments!["loan_id"].Select(v => v.GetString()));
    }

    [Fact]
    public async Task Two_promotions_on_two_branches_merge_cleanly_and_the_merged_dataset_validates()
    {
        using var repo = new TempRepository();
        repo.WriteDemoSuite(DemoSuite.Good);
        var baseSha = repo.Commit("base");
        repo.Write("trace.jsonl", PersonalTrace);
        repo.Write("trace2.jsonl", PersonalTrace.Replace("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7aaaaaaaaaaaaaaaa", StringComparison.Ordinal)
            .Replace("\"intent\":\"pay\"", "\"intent\":\"wire\"", StringComparison.Ordinal)
            .Replace("What is the payoff for loan L-7 today?", "Send 900 EUR to my landlord Pablo by wire.", StringComparison.Ordinal));

        var first = await Promoter.PromoteAsync(Request(repo, "trace.jsonl") with { Commit = true, Branch = "promote-a" }, Token);
        repo.Checkout(baseSha);
        var second = await Promoter.PromoteAsync(Request(repo, "trace2.jsonl") with { Commit = true, Branch = "promote-b", ExpectedToolCalls = ["initiate_wire_transfer(beneficiary=Pablo, amount=900)"] }, Token);

        using (var repository = new Repository(repo.Root))
        {
            var signature = new Signature("Merger", "merger@example.com", DateTimeOffset.Now);
            var merge = repository.Merge(repository.Branches["promote-a"], signature, new MergeOptions { FastForwardStrategy = FastForwardStrategy.NoFastForward });
            Assert.Equal(MergeStatus.NonFastForward, merge.Status);
            Assert.False(repository.Index.Conflicts.Any());
        }

        var schemas = await FlywheelSchemas.LoadAsync(Token);
        var diagnostics = new DiagnosticBag();
        var reader = new DatasetReader(schemas);
        var dataset = await reader.LoadAsync(repo.Root, "datasets/demo", diagnostics, Token);
        var ids = new List<string>();
        await foreach (var row in reader.ReadRowsAsync(dataset!, diagnostics, Token))
        {
            ids.Add(row.Id);
        }

        Assert.Empty(diagnostics.Items);
        Assert.Equal(["pay-0001", "pay-0002", "pay-0003", first.Id, "wire-0001", second.Id], ids);
        Assert.Equal("2.2.0", dataset!.Manifest.Version);
    }

    [Fact]
    public async Task Commit_creates_the_branch_with_the_author_from_git_config_and_a_message_naming_trace_and_failure_mode()
    {
        using var repo = new TempRepository();
        repo.WriteDemoSuite(DemoSuite.Good);
        repo.Commit("base");
        repo.Write("trace.jsonl", PersonalTrace);

        var result = await Promoter.PromoteAsync(Request(repo, "trace.jsonl") with { Commit = true }, Token);

        using var repository = new Repository(repo.Root);
        Assert.Equal("flywheel/promote/pay-4bf92f35", repository.Head.FriendlyName);
        var commit = repository.Head.Tip;
        Assert.Equal(result.CommitSha, commit.Sha);
        Assert.Equal(("Test Author", "author@example.com"), (commit.Author.Name, commit.Author.Email));
        Assert.Contains("4bf92f3577b34da6a3ce929d0e0e4736", commit.Message, StringComparison.Ordinal);
        Assert.Contains("ungrounded", commit.Message, StringComparison.Ordinal);
        Assert.Equal(["datasets/demo/dataset.json", "datasets/demo/rows.jsonl"], repository.Diff.Compare<TreeChanges>(commit.Parents.Single().Tree, commit.Tree).Select(c => c.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Near_duplicate_is_refused_with_the_match_named_unless_allowed()
    {
        using var repo = new TempRepository();
        repo.WriteDemoSuite(DemoSuite.Good);
        repo.Commit("base");
        repo.Write("dup.jsonl", """
            {"trace_id":"aaaabbbbccccdddd","type":"message","role":"user","content":"Payoff for L-1 ?"}
            {"trace_id":"aaaabbbbccccdddd","type":"response","content":"..."}
            """);
        var before = File.ReadAllBytes(repo.PathOf("datasets/demo/rows.jsonl"));

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => Promoter.PromoteAsync(Request(repo, "dup.jsonl"), Token));
        Assert.Equal(DiagnosticCodes.NearDuplicate, Assert.Single(error.Diagnostics).Code);
        Assert.Contains("row 'pay-0001'", error.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(repo.PathOf("datasets/demo/rows.jsonl")));

        var allowed = await Promoter.PromoteAsync(Request(repo, "dup.jsonl") with { AllowNearDuplicate = true }, Token);
        Assert.Equal("pay-0001", allowed.Nearest!.Value.Id);
    }

    [Theory]
    [InlineData("not json at all\n", "invalid JSON")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"abc","name":"GET /","attributes":[{"key":"http.method","value":{"stringValue":"GET"}}]}]}]}]}""", "none with gen_ai.* attributes")]
    [InlineData("""{"trace_id":"t1","type":"response","content":"hello"}""", "no user message")]
    [InlineData("", "empty")]
    public async Task Bad_traces_are_refused_and_the_dataset_stays_byte_identical(string trace, string expected)
    {
        using var repo = new TempRepository();
        repo.WriteDemoSuite(DemoSuite.Good);
        repo.Commit("base");
        repo.Write("bad.json", trace);
        var rows = File.ReadAllBytes(repo.PathOf("datasets/demo/rows.jsonl"));
        var manifest = File.ReadAllBytes(repo.PathOf("datasets/demo/dataset.json"));

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => Promoter.PromoteAsync(Request(repo, "bad.json"), Token));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal((DiagnosticCodes.BadTrace, "bad.json"), (diagnostic.Code, diagnostic.Path));
        Assert.Contains(expected, diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(rows, File.ReadAllBytes(repo.PathOf("datasets/demo/rows.jsonl")));
        Assert.Equal(manifest, File.ReadAllBytes(repo.PathOf("datasets/demo/dataset.json")));
    }

    [Fact]
    public async Task A_trace_already_promoted_is_refused()
    {
        using var repo = new TempRepository();
        repo.WriteDemoSuite(DemoSuite.Good);
        repo.Commit("base");
        repo.Write("trace.jsonl", PersonalTrace);
        await Promoter.PromoteAsync(Request(repo, "trace.jsonl"), Token);
        var rows = File.ReadAllBytes(repo.PathOf("datasets/demo/rows.jsonl"));

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => Promoter.PromoteAsync(Request(repo, "trace.jsonl") with { Id = "another-id" }, Token));

        Assert.Equal(DiagnosticCodes.TraceAlreadyPromoted, Assert.Single(error.Diagnostics).Code);
        Assert.Equal(rows, File.ReadAllBytes(repo.PathOf("datasets/demo/rows.jsonl")));
    }

    [Fact]
    public async Task Reads_otlp_json_with_genai_events_and_tool_spans()
    {
        using var repo = new TempRepository();
        repo.WriteDemoSuite(DemoSuite.Good);
        repo.Commit("base");
        repo.Write("otlp.json", """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"bank-agent"}}]},
              "scopeSpans":[{"scope":{"name":"agent"},"spans":[
                {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"chat gpt-4.1","startTimeUnixNano":"1700000000000000000",
                 "attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4.1"}},{"key":"app.intent","value":{"stringValue":"balance"}}],
                 "events":[{"name":"gen_ai.user.message","attributes":[{"key":"content","value":{"stringValue":"How much is in savings account SAV-3? Email me at bob@example.org"}}]},
                           {"name":"gen_ai.choice","attributes":[{"key":"message","value":{"stringValue":"{\"content\":\"You have $10.\",\"tool_calls\":[{\"function\":{\"name\":\"get_balance\",\"arguments\":\"{\\\"account_id\\\":\\\"SAV-3\\\"}\"}}]}"}}]}]},
                {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"aaa19b7ec3c1b174","name":"execute_tool get_balance","startTimeUnixNano":"1700000000100000000",
                 "attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"execute_tool"}},{"key":"gen_ai.tool.name","value":{"stringValue":"get_balance"}}]}]}]}]}
            """);

        var result = await Promoter.PromoteAsync(Request(repo, "otlp.json") with { Expected = [], ExpectedToolCalls = ["get_balance(account_id=SAV-3)"] }, Token);

        var row = await ReadRow(repo, result.Id);
        Assert.Equal("balance-5b8efff7", row.Id);
        Assert.Equal("balance", row.Tags["intent"]);
        Assert.Equal("How much is in savings account SAV-3? Email me at [EMAIL]", Assert.Single(row.Input).Content);
        var trace = await TraceReader.ReadAsync(repo.PathOf("otlp.json"), Token);
        Assert.Equal(("You have $10.", "gpt-4.1"), (trace.Output, trace.Model));
        Assert.Equal("get_balance", Assert.Single(trace.ToolCalls).Name);
    }

    private static PromotionRequest Request(TempRepository repo, string trace) => new()
    {
        Root = repo.Root,
        TracePath = repo.PathOf(trace),
        Dataset = "demo",
        Expected = ["Your payoff amount is $5,000.00, valid until Nov 30."],
        ExpectedToolCalls = ["get_payoff_quote(loan_id=L-7, as_of?=today)"],
        FailureMode = "ungrounded",
        Time = new FixedTime(),
    };

    private static async Task<Row> ReadRow(TempRepository repo, string id)
    {
        var schemas = await FlywheelSchemas.LoadAsync(Token);
        var reader = new DatasetReader(schemas);
        var diagnostics = new DiagnosticBag();
        var dataset = await reader.LoadAsync(repo.Root, "datasets/demo", diagnostics, Token);
        await foreach (var row in reader.ReadRowsAsync(dataset!, diagnostics, Token))
        {
            if (row.Id == id)
            {
                Assert.Empty(diagnostics.Items);
                return row;
            }
        }

        throw new InvalidOperationException($"row {id} not found");
    }

    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
    }
}
