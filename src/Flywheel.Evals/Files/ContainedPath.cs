namespace Flywheel.Evals.Files;

/// <summary>
/// Keeps the paths a suite names (datasets and their files, responses, prompts) inside the root: each is resolved with
/// every symbolic link followed, in every component and the last one, and must lead into the root, itself resolved.
/// </summary>
/// <remarks>
/// A suite comes from the repository, so from whoever can open a pull request; a path in it must not reach
/// <c>/etc/shadow</c> through <c>../..</c> or a committed symbolic link (and then have pieces of it echoed in FW1001
/// messages). Paths on the command line are chosen by the person who runs Flywheel and are not held to the root.
/// Readers open the same full path that is checked here, so what is checked is what is read (a link swapped between
/// the check and the read is outside what this defends against: that attacker already writes to the machine).
/// </remarks>
public static class ContainedPath
{
    // As Linux's limit on links followed in one lookup (ELOOP).
    private const int MaxLinks = 40;

    /// <summary>True when <paramref name="path"/> resolves to <paramref name="root"/> or to a path under it, symbolic links followed in both.</summary>
    /// <param name="root">The root folder.</param>
    /// <param name="path">The path, absolute or relative to the current directory.</param>
    /// <remarks>A loop of links is not inside: nothing could read through it.</remarks>
    public static bool IsInside(string root, string path)
    {
        var realRoot = Resolve(Path.GetFullPath(root));
        var real = Resolve(Path.GetFullPath(path));
        if (realRoot is null || real is null)
        {
            return false;
        }

        // The platform's own comparison: ordinal on Linux, ignoring case where the file system does.
        var relative = Path.GetRelativePath(realRoot, real);
        return relative == "." || !(relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative));
    }

    /// <summary>The message of FW1030 for a path the suite names.</summary>
    /// <param name="what">What the path is, e.g. "responses file".</param>
    /// <param name="named">The path as the suite (or the folder it names) gives it.</param>
    public static string OutsideMessage(string what, string named) =>
        $"{what} '{named}' resolves outside the root (symbolic links followed); a suite may only name files inside its repository";

    /// <summary>
    /// The real path of an absolute <paramref name="fullPath"/>: every symbolic link followed, ".." applied to where the
    /// links lead (as the system does), and components past the first missing one kept as they are; null for a loop.
    /// </summary>
    internal static string? Resolve(string fullPath)
    {
        var rootOfPath = Path.GetPathRoot(fullPath)!;
        var pending = new List<string>(Components(fullPath[rootOfPath.Length..]));
        var current = rootOfPath;
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending[0];
            pending.RemoveAt(0);
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Join(current, part);
            var target = LinkTarget(next);
            if (target is null)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                return null;
            }

            // The target's own components go first; a relative target starts from the link's folder.
            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target)!;
                target = target[current.Length..];
            }

            pending.InsertRange(0, Components(target));
        }

        return current;
    }

    private static string[] Components(string path) => path.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar]);

    /// <summary>Where the link at <paramref name="path"/> points; null when it is not a link or nothing is there.</summary>
    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A folder that cannot be searched: the system cannot read through it either, and the reader reports that.
            return null;
        }
    }
}
