using System.Diagnostics;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Files;
using Flywheel.Evals.Tests.Support;

namespace Flywheel.Evals.Tests.Files;

public sealed class LockFileTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_second_taker_waits_until_the_first_releases_and_the_file_is_gone_after_the_last()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "x.lock");
        var first = await LockFile.AcquireAsync(path, TimeSpan.Zero, Token);

        var second = LockFile.AcquireAsync(path, TimeSpan.FromSeconds(20), Token);
        await Task.Delay(300, Token);
        Assert.False(second.IsCompleted);
        first.Dispose();
        using (await second)
        {
            Assert.True(File.Exists(path));
        }

        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task A_lock_held_for_the_whole_wait_is_refused_naming_the_holder()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "x.lock");
        using var holder = await LockFile.AcquireAsync(path, TimeSpan.Zero, Token);
        var clock = Stopwatch.StartNew();

        var refused = await Assert.ThrowsAsync<LockFileHeldException>(() => LockFile.AcquireAsync(path, TimeSpan.FromMilliseconds(400), Token));

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(400));
        Assert.StartsWith($"process {Environment.ProcessId} on {Environment.MachineName} since ", refused.Holder, StringComparison.Ordinal);
        Assert.Equal(path, refused.Path);
    }

    [Fact]
    public async Task A_lock_left_by_a_process_that_died_is_removed_and_taken()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "x.lock");
        File.WriteAllText(path, Stamp(await DeadPidAsync(), Environment.MachineName));

        using (var taken = await LockFile.AcquireAsync(path, TimeSpan.Zero, Token))
        {
            Assert.Contains($"pid={Environment.ProcessId}\n", File.ReadAllText(path), StringComparison.Ordinal);
        }

        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public async Task A_lock_stamped_by_a_running_process_or_on_another_machine_is_never_taken()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "x.lock");
        using var sleeper = Process.Start(new ProcessStartInfo("sleep", "60"))!;
        try
        {
            File.WriteAllText(path, Stamp(sleeper.Id, Environment.MachineName));
            var running = await Assert.ThrowsAsync<LockFileHeldException>(() => LockFile.AcquireAsync(path, TimeSpan.FromMilliseconds(200), Token));
            Assert.StartsWith($"process {sleeper.Id} on ", running.Holder, StringComparison.Ordinal);

            File.WriteAllText(path, Stamp(await DeadPidAsync(), "another-machine"));
            var remote = await Assert.ThrowsAsync<LockFileHeldException>(() => LockFile.AcquireAsync(path, TimeSpan.FromMilliseconds(200), Token));
            Assert.Contains("on another-machine", remote.Holder, StringComparison.Ordinal);
            Assert.True(File.Exists(path));
        }
        finally
        {
            sleeper.Kill();
        }
    }

    [Fact]
    public async Task A_lock_file_without_a_stamp_is_taken_only_once_it_is_a_few_seconds_old()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "x.lock");
        File.WriteAllText(path, string.Empty);

        var fresh = await Assert.ThrowsAsync<LockFileHeldException>(() => LockFile.AcquireAsync(path, TimeSpan.FromMilliseconds(200), Token));
        Assert.Null(fresh.Holder);

        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-1));
        using var taken = await LockFile.AcquireAsync(path, TimeSpan.Zero, Token);
        Assert.NotNull(LockFile.Holder(path));
    }

    [Fact]
    public async Task A_lock_that_cannot_be_created_is_a_write_error()
    {
        using var folder = new TempDirectory();

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => LockFile.AcquireAsync(Path.Combine(folder.Path, "missing", "x.lock"), TimeSpan.FromSeconds(5), Token));

        Assert.Equal(DiagnosticCodes.CannotWrite, Assert.Single(error.Diagnostics).Code);
    }

    private static string Stamp(int pid, string host) => $"flywheel lock\npid={pid}\nhost={host}\nsince=2026-01-01T00:00:00Z\nid=0123456789abcdef\n";

    // The id of a process that has exited (and been reaped), so no process has it now.
    private static async Task<int> DeadPidAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("true"))!;
        await process.WaitForExitAsync(Token);
        return process.Id;
    }
}
