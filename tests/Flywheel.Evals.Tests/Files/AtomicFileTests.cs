using System.Text;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Files;
using Flywheel.Evals.Tests.Support;

namespace Flywheel.Evals.Tests.Files;

public sealed class AtomicFileTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_write_that_fails_midway_leaves_the_previous_file_whole_and_no_temporary_file()
    {
        using var folder = new TempDirectory();
        var path = folder.Write("run.json", "the previous run");

        await Assert.ThrowsAsync<InvalidOperationException>(() => AtomicFile.WriteAsync(
            path,
            async (stream, ct) =>
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes("half of the new"), ct);
                throw new InvalidOperationException("the writer died");
            },
            Token));

        Assert.Equal("the previous run", await File.ReadAllTextAsync(path, Token));
        Assert.Equal(["run.json"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_new_file_is_written_whole_and_its_folders_are_created()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "a", "b", "report.md");

        await AtomicFile.WriteAllTextAsync(path, "# ok\n", Token);

        Assert.Equal("# ok\n", await File.ReadAllTextAsync(path, Token));
        Assert.Equal([path], Directory.GetFileSystemEntries(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public async Task Replacing_a_file_keeps_its_unix_file_mode()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes");
            return;
        }

        using var folder = new TempDirectory();
        var path = folder.Write("rows.jsonl", "{}\n");
        const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        File.SetUnixFileMode(path, Mode);

        await AtomicFile.WriteAllTextAsync(path, "{}\n{}\n", Token);

        Assert.Equal(Mode, File.GetUnixFileMode(path));
        Assert.Equal("{}\n{}\n", await File.ReadAllTextAsync(path, Token));
    }

    [Fact]
    public async Task A_folder_in_the_way_of_the_file_is_a_cannot_write_diagnostic()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "run.json");
        Directory.CreateDirectory(path);

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => AtomicFile.WriteAllTextAsync(path, "{}", Token));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(DiagnosticCodes.CannotWrite, diagnostic.Code);
        Assert.Equal(path, diagnostic.Path);
    }

    [Fact]
    public async Task A_file_in_the_way_of_the_folder_is_a_cannot_write_diagnostic()
    {
        using var folder = new TempDirectory();
        var blocker = folder.Write("out", "a file, not a folder");

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => AtomicFile.WriteAllTextAsync(Path.Combine(blocker, "run.json"), "{}", Token));

        Assert.Equal(DiagnosticCodes.CannotWrite, Assert.Single(error.Diagnostics).Code);
        Assert.Equal("a file, not a folder", await File.ReadAllTextAsync(blocker, Token));
    }

    [Fact]
    public async Task Concurrent_writers_of_one_path_never_interleave()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "run.json");
        var texts = Enumerable.Range(0, 8).Select(i => new string((char)('a' + i), 200_000)).ToList();

        await Task.WhenAll(texts.Select(text => Task.Run(() => AtomicFile.WriteAllTextAsync(path, text, Token), Token)));

        Assert.Contains(await File.ReadAllTextAsync(path, Token), texts);
        Assert.Single(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public async Task Several_files_written_as_one_change_are_all_left_as_they_were_when_one_cannot_be_written()
    {
        using var folder = new TempDirectory();
        var first = folder.Write("rows.jsonl", "old rows\n");
        var blocked = Path.Combine(folder.Path, "dataset.json");
        Directory.CreateDirectory(blocked);

        var error = await Assert.ThrowsAsync<FlywheelInputException>(() => AtomicFile.WriteAllBytesAsync([(first, "new rows\n"u8.ToArray()), (blocked, "{}"u8.ToArray())], Token));

        Assert.Equal(DiagnosticCodes.CannotWrite, Assert.Single(error.Diagnostics).Code);
        Assert.Equal("old rows\n", await File.ReadAllTextAsync(first, Token));
        Assert.Equal(["dataset.json", "rows.jsonl"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Several_files_written_as_one_change_all_get_their_new_content()
    {
        using var folder = new TempDirectory();
        var rows = folder.Write("rows.jsonl", "old rows\n");
        var manifest = folder.Write("dataset.json", "{}");

        await AtomicFile.WriteAllBytesAsync([(rows, "new rows\n"u8.ToArray()), (manifest, "{\"v\":1}"u8.ToArray())], Token);

        Assert.Equal(("new rows\n", "{\"v\":1}"), (await File.ReadAllTextAsync(rows, Token), await File.ReadAllTextAsync(manifest, Token)));
        Assert.Equal(2, Directory.GetFileSystemEntries(folder.Path).Length);
    }

    [Fact]
    public void Checking_a_folder_creates_it_and_leaves_nothing_in_it()
    {
        using var folder = new TempDirectory();
        var outDir = Path.Combine(folder.Path, "a", "out");

        AtomicFile.CheckFolder(outDir);

        Assert.True(Directory.Exists(outDir));
        Assert.Empty(Directory.GetFileSystemEntries(outDir));
    }

    [Fact]
    public void Checking_a_folder_below_a_file_names_the_file()
    {
        using var folder = new TempDirectory();
        var blocker = folder.Write("out", "a file, not a folder");

        var error = Assert.Throws<FlywheelInputException>(() => AtomicFile.CheckFolder(Path.Combine(blocker, "nested")));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(DiagnosticCodes.CannotWrite, diagnostic.Code);
        Assert.Equal($"cannot write into this folder: '{blocker}' is a file, not a folder", diagnostic.Message);
        Assert.Equal("a file, not a folder", File.ReadAllText(blocker));
    }
}
