namespace Flywheel.Evals.Promotion;

/// <summary>One file of a committed promotion: the work tree's content before and after, what the commit holds, and what the index holds after when the file had staged edits (null: the committed content).</summary>
internal sealed record PromotedFile(TrackedFile Tracked, byte[] WorkTreeBefore, byte[] WorkTree, byte[] Committed, byte[]? Staged);
