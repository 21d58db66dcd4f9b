namespace Flywheel.Bench.Peers;

/// <summary>The command line is wrong (exit 2 with the usage).</summary>
internal sealed class BenchUsageException(string message) : Exception(message);
