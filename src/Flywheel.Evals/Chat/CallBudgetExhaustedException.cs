namespace Flywheel.Evals.Chat;

/// <summary>A model call was refused because the run's call budget (--max-calls) is spent; never retried.</summary>
public sealed class CallBudgetExhaustedException : Exception
{
    /// <summary>The error every score and response refused by the budget carries.</summary>
    public const string Reason = "call budget exhausted";

    /// <summary>Creates the exception.</summary>
    public CallBudgetExhaustedException()
        : base(Reason)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CallBudgetExhaustedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public CallBudgetExhaustedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
