using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Flywheel.Evals.Files;

/// <summary>An exclusive lock between processes: a file created with <see cref="FileMode.CreateNew"/>, naming its holder, deleted on dispose.</summary>
/// <remarks>
/// Whoever creates the file holds the lock; the others wait. The file names the holder's process, machine and start, so
/// a waiter that gives up can say who holds it. The holder keeps the file open with a shared OS lock (flock on Unix), which
/// the kernel drops when the process dies: a lock file that can be opened exclusively belongs to no running process on this
/// machine. It counts as stale, and is removed, when its holder's process is also gone (or it is our own pid, reused after
/// a crash) — both proofs, because network file systems may ignore the OS lock — or when it never got its stamp written.
/// A lock stamped on another machine, or by a live process, is never taken; the caller reports it.
/// </remarks>
public sealed class LockFile : IDisposable
{
    private const string Header = "flywheel lock";

    // A lock file without a complete stamp this old lost its holder between creating and stamping it.
    private static readonly TimeSpan UnstampedGrace = TimeSpan.FromSeconds(5);

    private readonly FileStream _stream;
    private readonly string _stamp;

    private LockFile(string path, FileStream stream, string stamp)
    {
        Path = path;
        _stream = stream;
        _stamp = stamp;
    }

    /// <summary>The lock file's full path.</summary>
    public string Path { get; }

    /// <summary>Takes the lock at <paramref name="path"/>, waiting up to <paramref name="wait"/> for its holder to release it.</summary>
    /// <exception cref="LockFileHeldException">Another live process held the lock for the whole wait.</exception>
    /// <exception cref="Diagnostics.FlywheelInputException">The lock file cannot be created (read-only folder, disk full): FW8001.</exception>
    public static async Task<LockFile> AcquireAsync(string path, TimeSpan wait, CancellationToken cancellationToken)
    {
        var full = System.IO.Path.GetFullPath(path);
        var clock = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryCreate(full) is { } created)
            {
                return created;
            }

            if (RemoveIfStale(full))
            {
                continue;
            }

            if (clock.Elapsed >= wait)
            {
                throw new LockFileHeldException(full, Describe(ReadStamp(full)));
            }

            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 250));
        }
    }

    /// <summary>Who holds the lock at <paramref name="path"/>, as a phrase (<c>process 4242 on host-1 since …</c>), or null when the file is gone or unreadable.</summary>
    public static string? Holder(string path) => Describe(ReadStamp(System.IO.Path.GetFullPath(path)));

    /// <summary>Releases the lock: the file is deleted while still held, so no waiter ever sees it half gone.</summary>
    public void Dispose()
    {
        try
        {
            // Only our own file: if a stale-lock remover mistook ours for stale and another process now holds a new one, that one stays.
            if (ReadStamp(Path) == _stamp)
            {
                File.Delete(Path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A lock file left behind is stale once we exit, and the next taker removes it.
        }
        finally
        {
            _stream.Dispose();
        }
    }

    private static LockFile? TryCreate(string full)
    {
        FileStream stream;
        try
        {
            // FileShare.Read: others may read the stamp; on Unix it also takes the shared flock that proves we are alive.
            stream = new FileStream(full, FileMode.CreateNew, FileAccess.Write, FileShare.Read | (OperatingSystem.IsWindows() ? FileShare.Delete : FileShare.None), 1, FileOptions.None);
        }
        catch (Exception ex) when ((ex is IOException or UnauthorizedAccessException) && (Exists(ex) || File.Exists(full)))
        {
            // Held by another process (on Windows a lock being deleted refuses access until its holder closes it).
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw AtomicFile.CannotWrite(full, ex);
        }

        var stamp = string.Create(CultureInfo.InvariantCulture,
            $"{Header}\npid={Environment.ProcessId}\nhost={Environment.MachineName}\nsince={DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ}\nid={Guid.NewGuid():N}\n");
        try
        {
            stream.Write(Encoding.UTF8.GetBytes(stamp));
            stream.Flush(flushToDisk: true);
            return new LockFile(full, stream, stamp);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A full disk: the file we created is ours to remove.
            stream.Dispose();
            TryDelete(full);
            throw AtomicFile.CannotWrite(full, ex);
        }
    }

    // Removes the lock file when its holder is gone; true when it was stale (the caller retries at once).
    private static bool RemoveIfStale(string full)
    {
        string? stamp;
        try
        {
            // Exclusive: fails while any live holder on this machine keeps its shared lock.
            using var probe = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.None, 1, FileOptions.None);
            using var reader = new StreamReader(probe, Encoding.UTF8);
            stamp = reader.ReadToEnd();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        if (!IsStale(stamp, full))
        {
            return false;
        }

        // Renamed aside before deleting: if a new lock replaced the stale one since we read it, the rename moved that one
        // instead, and its stamp (a fresh id) shows it; it goes back.
        var aside = full + "." + Guid.NewGuid().ToString("N") + ".stale";
        try
        {
            File.Move(full, aside);
        }
        catch (FileNotFoundException)
        {
            // Someone else removed it first.
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Cannot rename in this folder: the caller waits and reports the holder.
            return false;
        }

        if (ReadStamp(aside) == stamp)
        {
            TryDelete(aside);
            return true;
        }

        try
        {
            File.Move(aside, full, overwrite: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A third process created a lock in the instant the path was free; the one we moved is still held and its holder
            // will not delete the new one (it deletes only its own stamp). Both may run: the rarest race, and only after a crash.
            TryDelete(aside);
        }

        return true;
    }

    private static bool IsStale(string stamp, string full)
    {
        var fields = Parse(stamp);
        if (fields is null)
        {
            try
            {
                return DateTime.UtcNow - File.GetLastWriteTimeUtc(full) > UnstampedGrace;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }

        if (!string.Equals(fields.GetValueOrDefault("host"), Environment.MachineName, StringComparison.Ordinal)
            || !int.TryParse(fields.GetValueOrDefault("pid"), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        return pid == Environment.ProcessId || !IsRunning(pid);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    // The stamp's fields when it is complete (header first, id last), else null.
    private static Dictionary<string, string>? Parse(string? stamp)
    {
        if (stamp is null || !stamp.StartsWith(Header + "\n", StringComparison.Ordinal) || !stamp.EndsWith('\n'))
        {
            return null;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in stamp.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                fields[line[..equals]] = line[(equals + 1)..];
            }
        }

        return fields.ContainsKey("id") ? fields : null;
    }

    private static string? Describe(string? stamp)
    {
        var fields = Parse(stamp);
        return fields is null
            ? null
            : $"process {fields.GetValueOrDefault("pid")} on {fields.GetValueOrDefault("host")} since {fields.GetValueOrDefault("since")}";
    }

    private static string? ReadStamp(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // EEXIST (17) on Unix, ERROR_FILE_EXISTS (80) on Windows.
    private static bool Exists(Exception ex) => ex is IOException && (ex.HResult & 0xFFFF) is 17 or 80;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Harmless: a stale lock file is removed by the next taker.
        }
    }
}
