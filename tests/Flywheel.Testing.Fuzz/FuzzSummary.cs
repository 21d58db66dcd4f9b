using System.Globalization;
using System.Text;

namespace Flywheel.Testing.Fuzz;

/// <summary>What a fuzz run did: cases made, time taken, exit codes seen, and the failures grouped by how they failed.</summary>
public sealed record FuzzSummary(long Inputs, long FailedInputs, TimeSpan Elapsed, IReadOnlyDictionary<int, long> ExitCodes, IReadOnlyDictionary<FuzzCommand, (long Count, TimeSpan Time)> Commands, IReadOnlyList<FuzzFailureClass> Failures)
{
    /// <summary>Cases per second of wall time.</summary>
    public double InputsPerSecond => Elapsed.TotalSeconds > 0 ? Inputs / Elapsed.TotalSeconds : 0;

    /// <summary>A report for people: the counts, then each failure class with its example's reproduction.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Inputs} inputs in {Elapsed.TotalSeconds:0.0} s ({InputsPerSecond:0.0} inputs/s); {FailedInputs} failed");
        text.AppendLine("exit codes: " + string.Join(", ", ExitCodes.OrderBy(e => e.Key).Select(e => $"{e.Key}: {e.Value}")));
        text.AppendLine("mean time per case: " + string.Join(", ", Commands.OrderBy(c => c.Key).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value.Time.TotalMilliseconds / c.Value.Count:0} ms (×{c.Value.Count})"))));
        foreach (var failure in Failures)
        {
            var problem = failure.Example.Problems.First(p => p.Class == failure.Class);
            text.AppendLine(CultureInfo.InvariantCulture, $"FAIL [{failure.Count}×] {failure.Class}");
            text.AppendLine("  reproduce: " + failure.Example.Input.Reproduction);
            text.AppendLine("  command:   " + problem.Command);
            text.AppendLine("  saw:       " + problem.Detail);
        }

        return text.ToString();
    }
}
