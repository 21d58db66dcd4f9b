namespace Flywheel.Action.Tests.Support;

/// <summary>A tiny tmpfs mounted on a fresh temporary folder: a disk that fills up after a few hundred kilobytes.</summary>
internal sealed class SmallDisk : IDisposable
{
    public SmallDisk(string size = "256k")
    {
        Path = Directory.CreateTempSubdirectory("flywheel-disk-").FullName;
        try
        {
            RootRequirement.Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", Path);
        }
        catch
        {
            Directory.Delete(Path);
            throw;
        }
    }

    public string Path { get; }

    public void Dispose()
    {
        // Lazy, so a file a killed process still holds open cannot keep the mount (and the test machine's memory).
        RootRequirement.TryRun("umount", "-l", Path);
        TempFolder.DeleteQuietly(Path);
    }
}
