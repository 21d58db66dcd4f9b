using Flywheel.Evals.Diagnostics;

namespace Flywheel.Evals.Files;

/// <summary>Writes files so that readers see the old content or the new one, never a part: a temporary sibling is written, flushed, then renamed over the target.</summary>
/// <remarks>
/// A crash, a kill or a full disk leaves the previous file whole (and at most a hidden <c>.name.*.tmp</c> sibling);
/// two writers of one path never interleave, the last rename wins. An existing target's Unix file mode is kept.
/// Failures to write are input problems (<see cref="DiagnosticCodes.CannotWrite"/>), never crashes.
/// </remarks>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> from what <paramref name="write"/> puts into the stream it is handed.</summary>
    /// <exception cref="FlywheelInputException">The folder or file cannot be written (read-only, not a folder, disk full).</exception>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var temporary = Prepare(full);
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            Commit(temporary, full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw CannotWrite(full, ex);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    /// <exception cref="FlywheelInputException">The folder or file cannot be written.</exception>
    public static Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) =>
        WriteAsync(path, (stream, ct) => stream.WriteAsync(bytes, ct).AsTask(), cancellationToken);

    /// <summary>Writes several files as one change: every temporary sibling is written and flushed before the first rename.</summary>
    /// <remarks>
    /// A write that fails (disk full, read-only folder) leaves every target as it was. Only a failure between the renames,
    /// which need no space and stay in their folders, could leave some targets new and others old.
    /// </remarks>
    /// <exception cref="FlywheelInputException">A folder or file cannot be written; no target was changed.</exception>
    public static async Task WriteAllBytesAsync(IReadOnlyList<(string Path, ReadOnlyMemory<byte> Bytes)> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        var prepared = new List<(string Temporary, string Full)>(files.Count);
        var current = string.Empty;
        try
        {
            foreach (var (path, bytes) in files)
            {
                current = Path.GetFullPath(path);
                var temporary = Prepare(current);
                prepared.Add((temporary, current));
                await using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            foreach (var (temporary, full) in prepared)
            {
                current = full;
                Commit(temporary, full);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            prepared.ForEach(p => TryDelete(p.Temporary));
            throw CannotWrite(current, ex);
        }
        catch
        {
            prepared.ForEach(p => TryDelete(p.Temporary));
            throw;
        }
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte order mark to <paramref name="path"/> atomically.</summary>
    /// <exception cref="FlywheelInputException">The folder or file cannot be written.</exception>
    public static Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken) =>
        WriteAllBytesAsync(path, Utf8.GetBytes(text), cancellationToken);

    /// <summary>Writes what <paramref name="write"/> puts into a UTF-8 (no byte order mark) text writer to <paramref name="path"/> atomically.</summary>
    /// <exception cref="FlywheelInputException">The folder or file cannot be written.</exception>
    public static Task WriteTextAsync(string path, Func<TextWriter, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        return WriteAsync(
            path,
            async (stream, ct) =>
            {
                await using var writer = new StreamWriter(stream, Utf8, 1 << 16, leaveOpen: true);
                await write(writer, ct).ConfigureAwait(false);
                await writer.FlushAsync(ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically, synchronously (for writers on a thread of their own).</summary>
    /// <exception cref="FlywheelInputException">The folder or file cannot be written.</exception>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var full = Path.GetFullPath(path);
        var temporary = Prepare(full);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 12, FileOptions.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            Commit(temporary, full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw CannotWrite(full, ex);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Creates <paramref name="directory"/> and checks that a file can be created in it, so a run learns before its work, not after, that its outputs have nowhere to go.</summary>
    /// <remarks>A full disk is only found when the files are written: the check writes nothing but an empty file.</remarks>
    /// <exception cref="FlywheelInputException">The folder cannot be created or written (read-only, a file in the way).</exception>
    public static void CheckFolder(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (FileInTheWay(full) is { } blocker)
        {
            throw new FlywheelInputException(new Diagnostic(full, 0, 0, DiagnosticCodes.CannotWrite, $"cannot write into this folder: '{blocker}' is a file, not a folder"));
        }

        var probe = Path.Combine(full, $".flywheel-write-check.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(full);
            new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose).Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(probe);
            throw new FlywheelInputException(new Diagnostic(full, 0, 0, DiagnosticCodes.CannotWrite, $"cannot write into this folder: {Why(ex)}"));
        }
    }

    /// <summary>The diagnostic for a path that cannot be written, naming the operating system's reason.</summary>
    public static FlywheelInputException CannotWrite(string path, Exception reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        return new FlywheelInputException(new Diagnostic(path, 0, 0, DiagnosticCodes.CannotWrite, $"cannot write this file: {Why(reason)}; the previous file, if any, is unchanged"));
    }

    private static readonly System.Text.UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private static string Prepare(string full)
    {
        var directory = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{full}' names no file", nameof(full));
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (FileInTheWay(directory) is { } blocker)
            {
                throw new FlywheelInputException(new Diagnostic(full, 0, 0, DiagnosticCodes.CannotWrite, $"cannot write this file: '{blocker}' is a file, not a folder"));
            }

            throw CannotWrite(full, ex);
        }

        if (Directory.Exists(full))
        {
            throw new FlywheelInputException(new Diagnostic(full, 0, 0, DiagnosticCodes.CannotWrite, "cannot write this file: a folder has its name"));
        }

        // Hidden, unique per writer, in the target's folder: the rename stays on one file system and never collides.
        return Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
    }

    /// <summary>The nearest folder of <paramref name="directory"/> (itself included) that exists as a file, or null.</summary>
    private static string? FileInTheWay(string directory)
    {
        for (var path = directory; !string.IsNullOrEmpty(path); path = Path.GetDirectoryName(path))
        {
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    private static void Commit(string temporary, string full)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(full))
        {
            File.SetUnixFileMode(temporary, File.GetUnixFileMode(full));
        }

        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>The operating system's reason a write failed, in words (permission denied, no space left on the device …).</summary>
    internal static string Why(Exception reason) => reason switch
    {
        UnauthorizedAccessException => "permission denied",
        DirectoryNotFoundException => "its folder does not exist",
        _ when IsDiskFull(reason) => "no space left on the device",
        _ => reason.Message,
    };

    private static bool IsDiskFull(Exception ex) =>
        // ENOSPC (28) and EDQUOT (122) on Linux; ERROR_DISK_FULL (112) and ERROR_HANDLE_DISK_FULL (39) on Windows.
        (ex.HResult & 0xFFFF) is 28 or 122 or 112 or 39;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A stray hidden temporary file is harmless: it never has the target's name.
        }
    }
}
