using System.Runtime.CompilerServices;
using System.Text;

namespace Flywheel.Evals.Datasets;

/// <summary>Streams the lines of a JSON Lines file with their 1-based numbers; a UTF-8 BOM and CRLF line ends are accepted.</summary>
public static class JsonLines
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads every non-blank line.</summary>
    /// <exception cref="DecoderFallbackException">The file is not UTF-8; <see cref="InvalidUtf8Exception"/> names the line.</exception>
    public static async IAsyncEnumerable<(int Number, string Text)> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
        using var reader = new StreamReader(stream, StrictUtf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var number = 0;
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DecoderFallbackException ex)
            {
                throw new InvalidUtf8Exception(number + 1, ex);
            }

            if (line is null)
            {
                yield break;
            }

            number++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return (number, line);
            }
        }
    }
}
