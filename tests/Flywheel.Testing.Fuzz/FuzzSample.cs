using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Flywheel.Testing.Fuzz;

/// <summary>The repository's sample suite (suite, dataset, recorded responses) and a run.json the gate made of it: the valid files every fuzzed input starts from.</summary>
public sealed partial class FuzzSample
{
    /// <summary>The sample files a fuzzed suite copy holds, relative to its root.</summary>
    public static IReadOnlyList<string> SuiteFiles { get; } =
    [
        "evaluators/flywheel.json",
        "datasets/banking-support/dataset.json",
        "datasets/banking-support/rows.jsonl",
        "samples/responses/candidate.jsonl",
    ];

    private FuzzSample(IReadOnlyDictionary<string, byte[]> files, byte[] run, int rowStride)
    {
        Files = files;
        Run = run;
        RowStride = rowStride;
    }

    /// <summary>Every how many rows of the sample this one keeps (1: all).</summary>
    public int RowStride { get; }

    /// <summary>Each of <see cref="SuiteFiles"/> with its bytes.</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; }

    /// <summary>run.json of a gate over the unchanged sample, its time and duration fixed so that the same (seed, index) mutates the same bytes on every machine.</summary>
    public byte[] Run { get; }

    /// <summary>The relative path of the file a target mutates (run.json for the three run targets).</summary>
    public static string FileOf(FuzzTarget target) => target switch
    {
        FuzzTarget.Suite => SuiteFiles[0],
        FuzzTarget.Manifest => SuiteFiles[1],
        FuzzTarget.Rows => SuiteFiles[2],
        FuzzTarget.Responses => SuiteFiles[3],
        _ => "run.json",
    };

    /// <summary>The valid bytes of the file <paramref name="target"/> mutates.</summary>
    public byte[] Original(FuzzTarget target) => target switch
    {
        FuzzTarget.ReportRun or FuzzTarget.BaselineRun or FuzzTarget.HistoryRun => Run,
        _ => Files[FileOf(target)],
    };

    /// <summary>Reads the sample from <paramref name="repositoryRoot"/> and gates a copy of it in <paramref name="scratch"/> (through <paramref name="flywheel"/>) for its run.json.</summary>
    /// <param name="repositoryRoot">The folder holding the sample.</param>
    /// <param name="scratch">Where the copy is gated.</param>
    /// <param name="flywheel">How flywheel is run.</param>
    /// <param name="rowStride">1 keeps every row; k keeps every k-th row (and its response), for a faster run over every intent.</param>
    /// <param name="cancellationToken">Stops the gate.</param>
    public static async Task<FuzzSample> CreateAsync(string repositoryRoot, string scratch, FlywheelInvoker flywheel, int rowStride, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flywheel);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowStride, 1);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in SuiteFiles)
        {
            files[file] = await File.ReadAllBytesAsync(Path.Combine(repositoryRoot, file), cancellationToken);
        }

        if (rowStride > 1)
        {
            // The rows are in id order, grouped by intent: every k-th row keeps every intent, locale and tool.
            var rows = Lines(files[SuiteFiles[2]]).Where((_, i) => i % rowStride == 0).ToList();
            var ids = rows.Select(Id).ToHashSet(StringComparer.Ordinal);
            files[SuiteFiles[2]] = Join(rows);
            files[SuiteFiles[3]] = Join(Lines(files[SuiteFiles[3]]).Where(line => ids.Contains(Id(line))));
        }

        var root = Path.Combine(scratch, "sample");
        foreach (var (file, bytes) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, file))!);
            await File.WriteAllBytesAsync(Path.Combine(root, file), bytes, cancellationToken);
        }

        var outDir = Path.Combine(scratch, "sample-out");
        var gate = await flywheel(["gate", "--root", root, "--out", outDir, "--format", "json", "--progress", "none"], root, cancellationToken);
        if (gate.ExitCode is not (0 or 1) || gate.Crash is not null)
        {
            throw new InvalidOperationException($"the unchanged sample does not gate (exit {gate.ExitCode}):\n{gate.Stderr}{gate.Crash}");
        }

        var run = await File.ReadAllTextAsync(Path.Combine(outDir, "run.json"), cancellationToken);
        run = StartedAt().Replace(run, "\"started_at\": \"2026-01-01T00:00:00.000Z\"");
        run = Duration().Replace(run, "\"duration_ms\": 1000");
        return new FuzzSample(files, new UTF8Encoding(false).GetBytes(run), rowStride);
    }

    private static List<byte[]> Lines(byte[] text)
    {
        var lines = new List<byte[]>();
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == '\n')
            {
                if (i > start)
                {
                    lines.Add(text[start..i]);
                }

                start = i + 1;
            }
        }

        return lines;
    }

    private static byte[] Join(IEnumerable<byte[]> lines) => [.. lines.SelectMany(line => line.Append((byte)'\n'))];

    private static string Id(byte[] line)
    {
        using var document = JsonDocument.Parse(line);
        return document.RootElement.GetProperty("id").GetString()!;
    }

    [GeneratedRegex("\"started_at\": \"[^\"]*\"")]
    private static partial Regex StartedAt();

    [GeneratedRegex("\"duration_ms\": [0-9]+")]
    private static partial Regex Duration();
}
