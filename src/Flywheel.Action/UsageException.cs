namespace Flywheel.Action;

/// <summary>The command line is wrong; exit 2 with the usage.</summary>
internal sealed class UsageException(string message) : Exception(message);
