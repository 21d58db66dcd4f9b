using Flywheel.Bench.Peers;

// Two commands for bench/peers/run.sh:
//   promptfoo  writes the promptfoo config of a generated Flywheel suite (same rows, recorded responses, equivalent assertions)
//   agree      compares Flywheel's run.json with promptfoo's results row by row and evaluator by evaluator
const string Usage = """
    usage: flywheel-bench-peers promptfoo --suite DIR --out DIR [--mode deterministic|judged] [--concurrency N]
                                          [--judge-url URL] [--judge-model NAME]
           flywheel-bench-peers agree --flywheel RUN.json --promptfoo RESULTS.json|.jsonl [--show N]
    """;

try
{
    return args.Length == 0
        ? Fail(Usage)
        : args[0] switch
        {
            "promptfoo" => await PromptfooSuiteWriter.RunAsync(Options.Parse(args.AsSpan(1)), CancellationToken.None),
            "agree" => await Agreement.RunAsync(Options.Parse(args.AsSpan(1)), CancellationToken.None),
            "-h" or "--help" => Ok(Usage),
            _ => Fail($"unknown command '{args[0]}'\n{Usage}"),
        };
}
catch (BenchUsageException ex)
{
    return Fail($"flywheel-bench-peers: {ex.Message}\n{Usage}");
}
catch (BenchInputException ex)
{
    return Fail($"flywheel-bench-peers: {ex.Message}");
}

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 2;
}

static int Ok(string message)
{
    Console.WriteLine(message);
    return 0;
}
