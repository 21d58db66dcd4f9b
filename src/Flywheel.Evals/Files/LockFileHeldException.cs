namespace Flywheel.Evals.Files;

/// <summary>Another live process held a <see cref="LockFile"/> for the whole wait.</summary>
public sealed class LockFileHeldException : Exception
{
    /// <summary>Creates the exception for the lock at <paramref name="path"/>.</summary>
    public LockFileHeldException(string path, string? holder)
        : base($"{path} is held by {holder ?? "another process"}")
    {
        Path = path;
        Holder = holder;
    }

    /// <summary>The lock file's full path.</summary>
    public string Path { get; }

    /// <summary>Who holds it (<c>process 4242 on host-1 since …</c>), or null when its stamp could not be read.</summary>
    public string? Holder { get; }
}
