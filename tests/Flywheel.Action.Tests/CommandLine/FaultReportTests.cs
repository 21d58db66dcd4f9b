using System.Text;
using System.Text.RegularExpressions;

namespace Flywheel.Action.Tests.CommandLine;

/// <summary>The command line's last line of defence, driven in-process by a real fault: an output stream that breaks.</summary>
public sealed class FaultReportTests
{
    private static readonly Regex InternalErrorLine = new(@"^flywheel: error FW9999: internal error: (?<type>\w+): (?<message>.*); full trace in (?<path>\S+\.txt)$", RegexOptions.Multiline);

    [Fact]
    public async Task A_bug_is_one_FW9999_line_naming_it_with_its_full_trace_in_an_owner_only_file_and_exit_2()
    {
        var stderr = new StringWriter();

        var exit = await FlywheelCli.RunAsync(["--version"], new BrokenWriter(new InvalidOperationException("the writer broke")), stderr, Directory.GetCurrentDirectory(), TestContext.Current.CancellationToken);

        Assert.Equal(2, exit);
        var line = Assert.Single(Lines(stderr));
        var match = InternalErrorLine.Match(line);
        Assert.True(match.Success, line);
        Assert.Equal("InvalidOperationException", match.Groups["type"].Value);
        Assert.Equal("the writer broke", match.Groups["message"].Value);
        var trace = ReadAndDelete(match.Groups["path"].Value, out var mode);
        Assert.Contains("internal error (a bug in Flywheel", trace, StringComparison.Ordinal);
        Assert.Contains("command: --version", trace, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException: the writer broke", trace, StringComparison.Ordinal);
        Assert.Contains("at Flywheel.Action.FlywheelCli.RunAsync", trace, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        }
    }

    [Fact]
    public async Task Verbose_prints_the_trace_after_the_line()
    {
        var stderr = new StringWriter();

        var exit = await FlywheelCli.RunAsync(["--version", "--verbose"], new BrokenWriter(new InvalidOperationException("the writer broke")), stderr, Directory.GetCurrentDirectory(), TestContext.Current.CancellationToken);

        Assert.Equal(2, exit);
        var lines = Lines(stderr);
        var match = InternalErrorLine.Match(lines[0]);
        Assert.True(match.Success, stderr.ToString());
        ReadAndDelete(match.Groups["path"].Value, out _);
        Assert.Contains(lines, l => l.Contains("at Flywheel.Action.FlywheelCli.RunAsync", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_credential_in_a_faults_message_is_blanked_in_the_line_and_the_trace()
    {
        var name = $"FLYWHEEL_TEST_{Guid.NewGuid():N}_API_KEY";
        var secret = $"sk-test-{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(name, secret);
        try
        {
            var stderr = new StringWriter();

            var exit = await FlywheelCli.RunAsync(["--version", "--verbose"], new BrokenWriter(new InvalidOperationException($"request with key {secret} failed")), stderr, Directory.GetCurrentDirectory(), TestContext.Current.CancellationToken);

            Assert.Equal(2, exit);
            var match = InternalErrorLine.Match(stderr.ToString());
            Assert.Equal("request with key *** failed", match.Groups["message"].Value);
            var trace = ReadAndDelete(match.Groups["path"].Value, out _);
            Assert.DoesNotContain(secret, stderr.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, trace, StringComparison.Ordinal);
            Assert.DoesNotContain(name, trace, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public async Task A_closed_output_stream_is_FW8002_not_a_bug()
    {
        var stderr = new StringWriter();

        var exit = await FlywheelCli.RunAsync(["--version"], new BrokenWriter(new IOException("Broken pipe")), stderr, Directory.GetCurrentDirectory(), TestContext.Current.CancellationToken);

        Assert.Equal(2, exit);
        Assert.Equal(["flywheel: error FW8002: Broken pipe"], Lines(stderr));
    }

    [Fact]
    public void A_fault_on_another_thread_is_reported_the_same_way()
    {
        // Program.cs hands AppDomain.UnhandledException and unobserved task faults to this same report, then exits 2.
        var stderr = new StringWriter();
        var fault = new AggregateException(new NullReferenceException("lost in a task"));

        var exit = FaultReport.Write(fault, stderr, ["gate", "--out", "private/path"]);

        Assert.Equal(2, exit);
        var match = InternalErrorLine.Match(Assert.Single(Lines(stderr)));
        Assert.Equal("NullReferenceException", match.Groups["type"].Value);
        var trace = ReadAndDelete(match.Groups["path"].Value, out _);
        Assert.Contains("command: gate --out", trace, StringComparison.Ordinal);
        Assert.DoesNotContain("private/path", trace, StringComparison.Ordinal);
    }

    private static List<string> Lines(StringWriter writer) =>
        writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();

    private static string ReadAndDelete(string path, out UnixFileMode mode)
    {
        Assert.True(File.Exists(path), $"no trace at {path}");
        mode = OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(path);
        var text = File.ReadAllText(path);
        File.Delete(path);
        return text;
    }

    /// <summary>An output stream that fails the way a real one can (a bug upstream, a closed pipe).</summary>
    private sealed class BrokenWriter(Exception fault) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => throw fault;

        public override Task WriteLineAsync(string? value) => Task.FromException(fault);
    }
}
