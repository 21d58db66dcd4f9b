using System.Text;

namespace Flywheel.Action.Tests.Support;

/// <summary>What every rejected input must look like from outside: exit 2, each expected diagnostic, no crash.</summary>
internal static class InputErrorAssert
{
    /// <summary>Asserts exit 2, that stderr holds every fragment, and that nothing crashed (no unhandled exception, no stack trace) or passed.</summary>
    public static void Reported(ProcessResult result, params string[] fragments)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        foreach (var fragment in fragments)
        {
            Assert.True(result.Stderr.Contains(fragment, StringComparison.Ordinal), $"stderr lacks '{fragment}'\n{result}");
        }

        Assert.False(result.Stderr.Contains("Unhandled exception", StringComparison.Ordinal) || result.Stderr.Contains("   at ", StringComparison.Ordinal), result.ToString());
        Assert.DoesNotContain("gate passed", result.Stdout, StringComparison.Ordinal);
    }

    /// <summary>The 1-based column (in bytes, as diagnostics count) where <paramref name="fragment"/> starts in <paramref name="line"/>.</summary>
    public static int Column(string line, string fragment)
    {
        var at = line.IndexOf(fragment, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{fragment}' is not in '{line}'");
        return Encoding.UTF8.GetByteCount(line.AsSpan(0, at)) + 1;
    }
}
