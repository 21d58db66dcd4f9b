namespace Flywheel.Bench.Peers;

/// <summary>An input file is missing or not what the bench expects (exit 2, naming the file and line).</summary>
internal sealed class BenchInputException(string message) : Exception(message);
