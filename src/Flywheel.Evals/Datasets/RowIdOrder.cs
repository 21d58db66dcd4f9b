using System.Text.Json;
using Flywheel.Evals.Diagnostics;

namespace Flywheel.Evals.Datasets;

/// <summary>Checks a dataset's ids as lines stream by: unique, and sorted in ordinal order so parallel pull requests merge cleanly.</summary>
public sealed class RowIdOrder(string path, DiagnosticBag diagnostics)
{
    private readonly Dictionary<string, int> _firstLineOf = new(StringComparer.Ordinal);
    private string? _previousId;
    private int _previousLine;

    /// <summary>Records a row's id; false (with a diagnostic) when the id was already seen, so the row must be skipped.</summary>
    public bool Accept(string id, int line)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (_firstLineOf.TryGetValue(id, out var first))
        {
            diagnostics.Error(path, line, 1, DiagnosticCodes.DuplicateId, $"duplicate id '{id}' (first at line {first})");
            return false;
        }

        _firstLineOf[id] = line;
        if (_previousId is not null && string.CompareOrdinal(_previousId, id) > 0)
        {
            diagnostics.Error(path, line, 1, DiagnosticCodes.RowOutOfOrder,
                $"row '{id}' is out of order: it sorts before '{_previousId}' (line {_previousLine}); keep rows sorted by id (ordinal) so parallel pull requests merge cleanly");
        }

        _previousId = id;
        _previousLine = line;
        return true;
    }

    /// <summary>The top-level string <c>id</c> of a JSON line, read without building a document; null when it has none, is not JSON or cannot be read as text.</summary>
    public static string? PeekId(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            // Text that is not UTF-8, or half a surrogate pair, throws when read: such a line's parse reports it.
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName && StrictJson.IsReadableString(ref reader))
            {
                var isId = reader.ValueTextEquals("id"u8);
                reader.Read();
                if (isId)
                {
                    return reader.TokenType == JsonTokenType.String && StrictJson.IsReadableString(ref reader) ? reader.GetString() : null;
                }

                reader.Skip();
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
