using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Flywheel.Evals.Promotion;

/// <summary>The top-level <c>"version"</c> of a dataset.json's bytes, and the same bytes with its minor version bumped.</summary>
/// <remarks>Only the version string's bytes change; a byte order mark, comments, formatting and line ends stay.</remarks>
internal static partial class ManifestVersion
{
    /// <summary>The version and the byte range of its JSON string token (quotes included), or null when the manifest has no top-level string "version".</summary>
    public static (string Value, int Start, int End)? Find(byte[] manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var offset = manifest.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        var reader = new Utf8JsonReader(manifest.AsSpan(offset), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        (string, int, int)? found = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("version"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        // The last one wins, as when the manifest is deserialized.
                        found = (reader.GetString()!, offset + (int)reader.TokenStartIndex, offset + (int)reader.BytesConsumed);
                    }
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return found;
    }

    /// <summary>major.(minor+1).0; a version that is not semantic stays as it is.</summary>
    public static string BumpMinor(string version)
    {
        var match = SemanticVersion().Match(version);
        if (!match.Success)
        {
            return version;
        }

        var minor = BigInteger.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) + 1;
        return $"{match.Groups[1].Value}.{minor}.0";
    }

    /// <summary>The manifest with its version string replaced by <paramref name="version"/>; null when it has no version to replace.</summary>
    public static byte[]? Replace(byte[] manifest, string version)
    {
        if (Find(manifest) is not { } found)
        {
            return null;
        }

        // Versions are digits and dots (BumpMinor's output): no character needs escaping.
        var token = Encoding.UTF8.GetBytes("\"" + version + "\"");
        return [.. manifest.AsSpan(0, found.Start), .. token, .. manifest.AsSpan(found.End)];
    }

    [GeneratedRegex(@"^(\d+)\.(\d+)\.(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex SemanticVersion();
}
