namespace Flywheel.Action.Tests.Support;

/// <summary>A folder made immutable with <c>chattr +i</c>: nothing can be created, renamed or deleted in it, even by root.</summary>
internal sealed class ImmutableFolder : IDisposable
{
    public ImmutableFolder(string path)
    {
        Path = path;
        RootRequirement.Run("chattr", "+i", path);
    }

    public string Path { get; }

    public void Dispose() => RootRequirement.TryRun("chattr", "-i", Path);
}
