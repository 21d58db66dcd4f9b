using Flywheel.Bench.Generate;

namespace Flywheel.Testing.Fuzz;

/// <summary>One fuzzed case: a mutated file and the command that reads it, fixed by (seed, index) alone.</summary>
public sealed record FuzzInput(int Seed, long Index, int RowStride, FuzzTarget Target, FuzzCommand Command, string Format, Mutation Mutation)
{
    // Rows and responses are where user text enters; run.json feeds three readers.
    private static readonly (FuzzTarget Target, int Weight)[] Targets =
    [
        (FuzzTarget.Rows, 26),
        (FuzzTarget.Responses, 20),
        (FuzzTarget.Suite, 16),
        (FuzzTarget.Manifest, 8),
        (FuzzTarget.ReportRun, 16),
        (FuzzTarget.BaselineRun, 10),
        (FuzzTarget.HistoryRun, 4),
    ];

    private static readonly string[] ReportFormats = ["md", "html", "junit", "console", "json"];

    private static readonly string[] GateFormats = ["md", "junit", "html"];

    /// <summary>The relative path of the mutated file (run.json for the run targets).</summary>
    public string File => FuzzSample.FileOf(Target);

    /// <summary>The input number <paramref name="index"/> of the stream <paramref name="seed"/>.</summary>
    public static FuzzInput Create(FuzzSample sample, int seed, long index)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var rng = Rng.ForRow(seed, index);
        var pick = rng.Next(Targets.Sum(t => t.Weight));
        var target = Targets[^1].Target;
        foreach (var (candidate, weight) in Targets)
        {
            if (pick < weight)
            {
                target = candidate;
                break;
            }

            pick -= weight;
        }

        var (command, format) = target switch
        {
            FuzzTarget.ReportRun => (FuzzCommand.Report, rng.Pick(ReportFormats)),
            FuzzTarget.BaselineRun => rng.Chance(0.5) ? (FuzzCommand.GateWithBaseline, "console,json,md") : (FuzzCommand.ReportWithBaseline, rng.Pick(ReportFormats)),
            FuzzTarget.HistoryRun => (FuzzCommand.ReportWithHistory, "html"),
            // One report file per gate, in turn: writing all three for every case would triple its time.
            _ => rng.Chance(0.15) ? (FuzzCommand.Validate, string.Empty) : (FuzzCommand.Gate, "console,json," + rng.Pick(GateFormats)),
        };
        return new FuzzInput(seed, index, sample.RowStride, target, command, format, Mutator.Mutate(sample.Original(target), rng));
    }

    /// <summary>One line that names the case: enough to make it again (seed, index and the sample's row stride) and to see what it is.</summary>
    public string Reproduction =>
        $"seed={Seed} index={Index} row-stride={RowStride} file={File} command={Command}{(Format.Length > 0 ? $" --format {Format}" : string.Empty)} mutation={Mutation.Kind}: {Mutation.Description}";
}
