using Flywheel.DevTools;

namespace Flywheel.Action.Tests.Support;

/// <summary>Where Chromium is; a browser test fails without it on CI (which installs it) and skips, saying why, elsewhere.</summary>
internal static class BrowserRequirement
{
    public static string Chromium()
    {
        if (DevTools.Chromium.Find() is { } executable)
        {
            return executable;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail("CI=true but Chromium is not installed: .ci/run installs Debian's chromium with apt-get; the HTML report must be checked in a real browser on CI");
        }

        Assert.Skip("Chromium not found (looked for chromium and chromium-browser on PATH, or FLYWHEEL_CHROMIUM): install Debian's chromium to run the HTML report's browser test");
        return string.Empty;
    }

    /// <summary>The CI artifact folder for browser screenshots: TestResults/flywheel-html under the repository.</summary>
    public static string ArtifactPath(string fileName)
    {
        var directory = Path.Combine(RepositoryRoot.Path, "TestResults", "flywheel-html");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, fileName);
    }
}
