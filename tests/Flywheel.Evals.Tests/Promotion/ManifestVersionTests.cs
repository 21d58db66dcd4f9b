using System.Text;
using Flywheel.Evals.Promotion;

namespace Flywheel.Evals.Tests.Promotion;

public sealed class ManifestVersionTests
{
    [Fact]
    public void Only_the_top_level_version_string_changes_comments_layout_line_ends_and_byte_order_mark_stay()
    {
        const string Manifest = "\uFEFF{\r\n  // the dataset\r\n  \"owner\": {\"version\": \"9.9.9\"},\r\n  \"version\" :  \"2.3.4\",\r\n  \"name\": \"demo\",\r\n}\r\n";

        var bumped = ManifestVersion.Replace(Encoding.UTF8.GetBytes(Manifest), ManifestVersion.BumpMinor("2.3.4"));

        Assert.Equal(Manifest.Replace("\"2.3.4\"", "\"2.4.0\"", StringComparison.Ordinal), Encoding.UTF8.GetString(bumped!));
        Assert.Equal("2.3.4", ManifestVersion.Find(Encoding.UTF8.GetBytes(Manifest))!.Value.Value);
    }

    [Theory]
    [InlineData("1.0.0", "1.1.0")]
    [InlineData("3.9.7-rc.1+build.5", "3.10.0")]
    [InlineData("0.99999999999999999999.1", "0.100000000000000000000.0")]
    public void Bumps_the_minor_version_and_resets_the_patch(string version, string bumped) =>
        Assert.Equal(bumped, ManifestVersion.BumpMinor(version));

    [Fact]
    public void A_manifest_without_a_top_level_version_has_none_to_replace() =>
        Assert.Null(ManifestVersion.Replace(Encoding.UTF8.GetBytes("{\"name\":\"demo\",\"meta\":{\"version\":\"1.0.0\"}}"), "1.1.0"));
}
