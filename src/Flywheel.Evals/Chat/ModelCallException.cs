namespace Flywheel.Evals.Chat;

/// <summary>A model call failed for good: its retries are spent or the failure cannot be retried. The message is safe to show (no key, no headers).</summary>
public sealed class ModelCallException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelCallException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ModelCallException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the last failure.</summary>
    public ModelCallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
