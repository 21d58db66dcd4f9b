namespace Flywheel.Evals.Targets;

/// <summary>A live target could not answer a row; the row becomes an error, never a pass. The message is safe to show.</summary>
public sealed class TargetCallException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TargetCallException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TargetCallException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    public TargetCallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
