using System.Text;
using System.Text.Json;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Evaluators;
using Flywheel.Evals.Runs;
using Flywheel.Evals.Targets;

namespace Flywheel.Evals.Tests.Runs;

/// <summary>The spool writes passing rows by hand; the bytes must be the serializer's, since run.json copies them verbatim.</summary>
public sealed class RowSpoolTests
{
    public static TheoryData<RunRow> SlimRows =>
    [
        Row(),
        Row() with { Line = null, Passed = null, Error = "no response", Response = null, Scores = [Score.Failed("answer", "no response")] },
        Row() with { Passed = false, Review = ReviewStatuses.Pending, Scores = [] },
        Row() with
        {
            Dataset = "dätä \"quoted\" <tag> & 'apos' \\ \u0001",
            Id = "row-é-🙂",
            Tags = new Dictionary<string, string> { ["intent"] = "payoff", ["locale"] = "es-ES", ["clé"] = "välue\n\t\"x\"", ["<b>"] = "&amp;" },
            Scores =
            [
                Score.Decided("answer", 2.0 / 3, true, "token F1 0.67 >= 0.60 against \"£189,969.88\" — “quoted” «text» \u2028"),
                Score.Decided("grounded", 1e-7, true, "tiny"),
                Score.Decided("tools", 0.1 + 0.2, false, string.Empty),
                new Score { Evaluator = "odd", Value = null, Passed = null, Reason = null, Error = "boom" },
            ],
            Response = new Response { Dataset = "bench", Id = "row-é", Model = "gpt-4.1-mini", LatencyMs = 3955.25, InputTokens = long.MaxValue, OutputTokens = -1 },
        },
        Row() with { Response = new Response { Id = "only-id" } },
        Row() with
        {
            Scores =
            [
                Score.Decided("judge", 1, true, "votes 2 pass / 1 fail") with { Unstable = true, Votes = ["pass", "fail", "pass"] },
                Score.Decided("judge2", 0, false, "votes 0 pass / 2 fail") with { Unstable = false, Votes = [] },
            ],
        },
    ];

    // The hand-written writer (TryWriteSlim) and reader (RunRowBuilder, which reads failing rows back) must know every
    // property the serializer would write; a property added to one of these records without teaching both would
    // silently vanish from run.json or from the failing rows the reports show.
    [Theory]
    [InlineData(typeof(RunRow), "Dataset,Id,Line,Tags,Review,Passed,Error,Scores,Input,Context,Expected,Response")]
    [InlineData(typeof(Score), "Evaluator,Value,Passed,Reason,Error,Unstable,Votes,Details")]
    [InlineData(typeof(Response), "Dataset,Id,Output,ToolCalls,Model,LatencyMs,InputTokens,OutputTokens")]
    [InlineData(typeof(ResponseToolCall), "Name,Arguments")]
    public void The_slim_writer_and_the_spool_reader_know_every_property_of_the_records_they_handle(Type type, string known)
    {
        var properties = type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Where(p => p.Name != "EqualityContract" && !p.IsDefined(typeof(System.Text.Json.Serialization.JsonIgnoreAttribute), true))
            .Select(p => p.Name);
        Assert.Equal(known.Split(','), properties);
    }

    [Theory]
    [MemberData(nameof(SlimRows))]
    public void Slim_rows_are_written_byte_for_byte_as_the_serializer_writes_them(RunRow row)
    {
        Assert.Equal(Serialized(row), Written(row));
    }

    [Fact]
    public void Rows_that_carry_more_are_left_to_the_serializer()
    {
        var full = Row() with { Input = [new RowMessage { Role = "user", Content = "hi" }] };
        var withDetails = Row() with { Scores = [Score.Decided("tools", 1, true, "ok", new Dictionary<string, object?> { ["matched"] = 1 })] };
        var withOutput = Row() with { Response = new Response { Id = "r", Output = "text" } };

        foreach (var row in new[] { full, withDetails, withOutput })
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream))
            {
                Assert.False(RowSpool.TryWriteSlim(writer, row));
            }

            Assert.Equal(0, stream.Length);
        }
    }

    [Fact]
    public async Task Rows_that_did_not_pass_are_read_back_whole_when_the_spool_completes()
    {
        using var arguments = JsonDocument.Parse("""{"loan_id":"L-1","amount":1250.5,"nested":{"k":[1,"two"]}}""");
        using var accepted = JsonDocument.Parse("""["L-1",""]""");
        RunRow Failing(int k) => Row() with
        {
            Id = $"row-{k:0000}",
            Passed = k % 2 == 0 ? false : null,
            Input = [new RowMessage { Role = "user", Content = $"Payoff for L-{k}? «é» 🙂" }],
            Context = [new ContextChunk { Id = "c1", Text = "Payoff £189,969.88 good through 27 Nov." }],
            Expected = new Expectation
            {
                Answers = ["£189,969.88"],
                ToolCalls = [new ExpectedToolCall { Name = "get_payoff_quote", Arguments = new Dictionary<string, IReadOnlyList<JsonElement>> { ["loan_id"] = accepted.RootElement.EnumerateArray().ToList() } }],
            },
            Response = new Response { Id = $"row-{k:0000}", Output = "It is £189,994.88.", ToolCalls = [new ResponseToolCall { Name = "get_balance", Arguments = arguments.RootElement }], Model = "m" },
            // Row 1000 is larger than the spool's read buffer, so reading back must grow it.
            Scores =
            [
                Score.Decided("tools", 0, false, k == 1000 ? new string('x', 200_000) : "expected get_payoff_quote, got get_balance", new Dictionary<string, object?> { ["matched"] = 0, ["calls"] = new List<object> { "a", 1 }, ["none"] = null }),
                Score.Decided("judge", 1, true, "votes 2 pass / 1 fail") with { Unstable = true, Votes = ["pass", "fail", "pass"] },
                Score.Failed("judge2", "timed out"),
            ],
            Error = k % 500 == 0 ? "timed out" : null,
            Line = k == 0 ? null : k,
        };

        var expected = new List<string>();
        await using var spool = new RowSpool();
        for (var k = 0; k < 3000; k++)
        {
            // Enough passing rows between the failing ones that the spool writes to its file several times meanwhile.
            if (k % 250 == 0)
            {
                var failing = Failing(k);
                expected.Add(Serialized(failing));
                spool.Add(failing);
            }
            else
            {
                spool.Add(Row() with { Id = $"row-{k:0000}" });
            }
        }

        var rows = await spool.CompleteAsync(TestContext.Current.CancellationToken);

        Assert.Equal(3000, rows.Count);
        Assert.Equal(12, rows.NotPassing.Count);
        Assert.Equal(expected, rows.NotPassing.Select(Serialized));
        Assert.Equal(expected, rows.Where(r => r.Passed != true).Select(Serialized));
    }

    private static RunRow Row() => new()
    {
        Dataset = "bench",
        Id = "row-0000001",
        Line = 1,
        Tags = new Dictionary<string, string> { ["intent"] = "mortgage_payoff", ["locale"] = "en-GB" },
        Passed = true,
        Scores = [Score.Decided("answer", 1, true, "token F1 1.00 >= 0.60 against \"x\"")],
        Response = new Response { Id = "row-0000001", Model = "m", LatencyMs = 12, InputTokens = 3, OutputTokens = 4 },
    };

    private static string Serialized(RunRow row)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = FlywheelJson.Options.Encoder, SkipValidation = true }))
        {
            JsonSerializer.Serialize(writer, row, FlywheelJson.Options);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Written(RunRow row)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = FlywheelJson.Options.Encoder, SkipValidation = true }))
        {
            Assert.True(RowSpool.TryWriteSlim(writer, row));
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
