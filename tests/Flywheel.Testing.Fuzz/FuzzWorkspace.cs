using System.Text;
using System.Text.Json;
using System.Xml;

namespace Flywheel.Testing.Fuzz;

/// <summary>One worker's copy of the sample: each case writes its one mutated file, runs its command, checks what it left, and puts the file back.</summary>
/// <remarks>
/// Reusing one copy costs one file write per case instead of a whole suite. --out starts each case holding a valid
/// run.json from an earlier gate, so a command that fails must leave it whole, and one that succeeds must replace it
/// with a whole one.
/// </remarks>
public sealed class FuzzWorkspace : IDisposable
{
    private static readonly string[] OutFiles = ["run.json", "report.md", "junit.xml", "report.html", "report.json", "report.junit"];

    private readonly FuzzSample _sample;
    private readonly string _folder;
    private readonly string _suite;
    private readonly string _out;
    private readonly string _goodRun;
    private readonly string _input;
    private readonly string _history;

    public FuzzWorkspace(FuzzSample sample, string folder)
    {
        ArgumentNullException.ThrowIfNull(sample);
        _sample = sample;
        _folder = Path.GetFullPath(folder);
        _suite = Path.Combine(_folder, "suite");
        _out = Path.Combine(_folder, "out");
        _goodRun = Path.Combine(_folder, "runs", "run.json");
        _input = Path.Combine(_folder, "input", "run.json");
        _history = Path.Combine(_folder, "history");
        foreach (var (file, bytes) in sample.Files)
        {
            Write(Path.Combine(_suite, file), bytes);
        }

        Write(_goodRun, sample.Run);
        // The history holds a valid run beside the mutated one, so the trend has something to draw.
        Write(Path.Combine(_history, "1-valid.json"), sample.Run);
        Directory.CreateDirectory(_out);
        Directory.CreateDirectory(Path.GetDirectoryName(_input)!);
    }

    /// <summary>Runs <paramref name="input"/> through <paramref name="flywheel"/> and checks how each command ended and what --out holds.</summary>
    public async Task<FuzzResult> RunAsync(FuzzInput input, FlywheelInvoker flywheel, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(flywheel);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ResetOut();
        var mutated = MutatedPath(input.Target);
        Write(mutated, input.Mutation.Bytes);
        var problems = new List<FuzzProblem>();
        var exits = new List<int>();
        try
        {
            var args = Arguments(input);
            var result = await RunOneAsync(flywheel, args, timeout, cancellationToken);
            exits.Add(result.ExitCode);
            problems.AddRange(OutputChecks.Of(Show(args), result));
            if (result.Crash is null && !result.TimedOut)
            {
                problems.AddRange(await CheckOutAsync(input, Show(args), result, flywheel, timeout, exits, cancellationToken));
            }
        }
        finally
        {
            if (input.Target is FuzzTarget.Suite or FuzzTarget.Manifest or FuzzTarget.Rows or FuzzTarget.Responses)
            {
                Write(mutated, _sample.Original(input.Target));
            }
            else if (input.Target == FuzzTarget.HistoryRun)
            {
                File.Delete(mutated);
            }
        }

        return new FuzzResult(input, problems, exits, clock.Elapsed);
    }

    /// <summary>Writes a case's whole workspace into <paramref name="folder"/>/seed-index: the sample with the mutated file in place, and reproduction.txt with the commands to run there.</summary>
    /// <returns>The folder written.</returns>
    public static string Save(FuzzSample sample, FuzzResult result, string folder)
    {
        ArgumentNullException.ThrowIfNull(result);
        var input = result.Input;
        var saved = new FuzzWorkspace(sample, Path.Combine(folder, $"{input.Seed}-{input.Index}"));
        saved.ResetOut();
        Write(saved.MutatedPath(input.Target), input.Mutation.Bytes);
        var note = new StringBuilder();
        note.AppendLine(input.Reproduction);
        note.AppendLine("run from this folder (<ws> is this folder):");
        note.AppendLine("  " + saved.Show(saved.Arguments(input)));
        foreach (var problem in result.Problems)
        {
            note.AppendLine($"{problem.Class}\n  command: {problem.Command}\n  {problem.Detail}");
        }

        File.WriteAllText(Path.Combine(saved._folder, "reproduction.txt"), note.ToString());
        return saved._folder;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover scratch folder must not turn a finished run into a failure.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private string MutatedPath(FuzzTarget target) => target switch
    {
        FuzzTarget.ReportRun or FuzzTarget.BaselineRun => _input,
        FuzzTarget.HistoryRun => Path.Combine(_history, "2-mutated.json"),
        _ => Path.Combine(_suite, FuzzSample.FileOf(target)),
    };

    private List<string> Arguments(FuzzInput input) => input.Command switch
    {
        FuzzCommand.Validate => ["validate", "--root", _suite],
        FuzzCommand.Gate => ["gate", "--root", _suite, "--out", _out, "--format", input.Format, "--progress", "none"],
        FuzzCommand.GateWithBaseline => ["gate", "--root", _suite, "--out", _out, "--format", input.Format, "--progress", "none", "--baseline", _input],
        FuzzCommand.Report when input.Format == "console" => ["report", _input, "--format", input.Format],
        FuzzCommand.Report => ["report", _input, "--format", input.Format, "--out", Path.Combine(_out, ReportFile(input.Format))],
        FuzzCommand.ReportWithBaseline => ["report", _goodRun, "--baseline", _input, "--format", input.Format],
        _ => ["report", _goodRun, "--format", "html", "--history", _history, "--out", Path.Combine(_out, "report.html")],
    };

    private static string ReportFile(string format) => format switch
    {
        "md" => "report.md",
        "html" => "report.html",
        "junit" => "junit.xml",
        _ => "report.json",
    };

    private async Task<List<FuzzProblem>> CheckOutAsync(FuzzInput input, string command, CommandResult result, FlywheelInvoker flywheel, TimeSpan timeout, List<int> exits, CancellationToken cancellationToken)
    {
        var problems = new List<FuzzProblem>();
        foreach (var path in Directory.EnumerateFileSystemEntries(_out))
        {
            var name = Path.GetFileName(path);
            if (!OutFiles.Contains(name))
            {
                problems.Add(new FuzzProblem("stray file left in --out", command, name));
            }
        }

        var runPath = Path.Combine(_out, "run.json");
        if (!File.Exists(runPath))
        {
            problems.Add(new FuzzProblem("run.json in --out is gone", command, "the valid run.json --out held before the command was deleted"));
        }
        else
        {
            var bytes = await File.ReadAllBytesAsync(runPath, cancellationToken);
            if (!bytes.AsSpan().SequenceEqual(_sample.Run))
            {
                problems.AddRange(await CheckNewRunAsync(runPath, bytes, input, command, result, flywheel, timeout, exits, cancellationToken));
            }
        }

        problems.AddRange(CheckReport(Path.Combine(_out, "junit.xml"), command, ReadXml));
        problems.AddRange(CheckReport(Path.Combine(_out, "report.html"), command, ReadHtml));
        problems.AddRange(CheckReport(Path.Combine(_out, "report.md"), command, bytes => ReadText(bytes)));
        problems.AddRange(CheckReport(Path.Combine(_out, "report.json"), command, bytes => JsonDocument.Parse(bytes).Dispose()));
        return problems;
    }

    private async Task<List<FuzzProblem>> CheckNewRunAsync(string runPath, byte[] bytes, FuzzInput input, string command, CommandResult result, FlywheelInvoker flywheel, TimeSpan timeout, List<int> exits, CancellationToken cancellationToken)
    {
        var problems = new List<FuzzProblem>();
        string? verdict;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            verdict = document.RootElement.TryGetProperty("verdict", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        }
        catch (JsonException ex)
        {
            problems.Add(new FuzzProblem("run.json in --out is not whole JSON", command, $"{bytes.Length} bytes: {ex.Message}"));
            return problems;
        }

        var expected = result.ExitCode switch { 0 => "passed", 1 => "failed", _ => "error" };
        if (input.Command is FuzzCommand.Gate or FuzzCommand.GateWithBaseline && verdict != expected)
        {
            problems.Add(new FuzzProblem("gate's exit code disagrees with run.json's verdict", command, $"exit {result.ExitCode}, verdict '{verdict}'"));
        }

        // The run a gate wrote must be one that flywheel itself reads back.
        string[] args = ["report", runPath, "--format", "json"];
        var readBack = await RunOneAsync(flywheel, args, timeout, cancellationToken);
        exits.Add(readBack.ExitCode);
        var readProblems = OutputChecks.Of(Show(args), readBack).ToList();
        problems.AddRange(readProblems);
        if (readProblems.Count == 0 && readBack.ExitCode is not (0 or 1))
        {
            var line = readBack.Stderr.Split('\n').FirstOrDefault() ?? string.Empty;
            var code = System.Text.RegularExpressions.Regex.Match(line, "FW[0-9]{4}").Value;
            problems.Add(new FuzzProblem($"report refuses the run.json gate wrote: {code}", Show(args), line));
        }

        return problems;
    }

    private static IEnumerable<FuzzProblem> CheckReport(string path, string command, Action<byte[]> read)
    {
        if (!File.Exists(path))
        {
            yield break;
        }

        string? error = null;
        var bytes = File.ReadAllBytes(path);
        try
        {
            read(bytes);
        }
        catch (Exception ex) when (ex is JsonException or XmlException or FormatException or DecoderFallbackException)
        {
            error = ex.Message;
        }

        if (error is not null)
        {
            yield return new FuzzProblem($"{Path.GetFileName(path)} in --out is not whole", command, $"{bytes.Length} bytes: {error}");
        }
    }

    private static void ReadXml(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        while (reader.Read())
        {
        }
    }

    private static void ReadHtml(byte[] bytes)
    {
        if (!ReadText(bytes).TrimEnd().EndsWith("</html>", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException("it does not end with </html>");
        }
    }

    private static string ReadText(byte[] bytes) => new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);

    private async Task<CommandResult> RunOneAsync(FlywheelInvoker flywheel, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var workingDirectory = _suite;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var result = await flywheel(args, workingDirectory, limit.Token);
        return limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested ? result with { TimedOut = true } : result;
    }

    private void ResetOut()
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(_out))
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }
        }

        Write(Path.Combine(_out, "run.json"), _sample.Run);
    }

    private string Show(IReadOnlyList<string> args) =>
        "flywheel " + string.Join(' ', args.Select(a => a.StartsWith(_folder, StringComparison.Ordinal) ? "<ws>" + a[_folder.Length..] : a));

    private static void Write(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }
}
