namespace Flywheel.Testing.ChatServer;

/// <summary>How the server treats one request: answer (after an optional delay), fail with a status, answer garbage, or drop the connection.</summary>
public abstract record ServerBehavior
{
    /// <summary>Answer normally, after <paramref name="Delay"/>.</summary>
    public sealed record Slow(TimeSpan Delay) : ServerBehavior;

    /// <summary>Fail with an HTTP status; <paramref name="RetryAfter"/> sets Retry-After (whole seconds) or retry-after-ms.</summary>
    public sealed record Status(int Code, TimeSpan? RetryAfter = null, bool InMilliseconds = false) : ServerBehavior;

    /// <summary>200 with a body that is not JSON.</summary>
    public sealed record GarbageBody : ServerBehavior;

    /// <summary>200 with a valid completion whose content is not the JSON the judge was asked for.</summary>
    public sealed record GarbageContent(string Content = "I think it is fine, probably.") : ServerBehavior;

    /// <summary>Drop the connection without an answer.</summary>
    public sealed record Drop : ServerBehavior;

    /// <summary>Answer with this reply instead of the responder's.</summary>
    public sealed record Answer(ServerReply Reply) : ServerBehavior;
}
