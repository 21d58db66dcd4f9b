namespace Flywheel.Action;

/// <summary>How a long run shows progress on standard error.</summary>
internal enum ProgressMode
{
    /// <summary>Nothing until the end.</summary>
    None,

    /// <summary>A line rewritten in place (a terminal).</summary>
    Live,

    /// <summary>A plain line every interval (CI logs, redirected output).</summary>
    Plain,
}
