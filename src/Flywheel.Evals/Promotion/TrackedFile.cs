using LibGit2Sharp;

namespace Flywheel.Evals.Promotion;

/// <summary>A file the promotion changes, as git has it: its content and mode at HEAD, in the index when that differs from HEAD (staged edits), and whether it has uncommitted edits (staged or not).</summary>
internal sealed record TrackedFile(string FullPath, string Relative, string Display, byte[] Head, Mode HeadMode, byte[]? Index, Mode IndexMode, ObjectId IndexId, bool Edited);
