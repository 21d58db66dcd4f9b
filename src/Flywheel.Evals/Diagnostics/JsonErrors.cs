using System.Text.Json;

namespace Flywheel.Evals.Diagnostics;

/// <summary>Turns System.Text.Json's messages into one short sentence without its own path and position suffix.</summary>
public static class JsonErrors
{
    /// <summary>The message of a JSON exception, without the "Path: ... | LineNumber: ..." tail (we print the location ourselves).</summary>
    public static string Describe(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        var tail = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (tail < 0)
        {
            tail = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }

        var text = (tail > 0 ? message[..tail] : message).Trim();
        if (exception.Path is { Length: > 1 } path)
        {
            text += $" (at {path})";
        }

        return text;
    }
}
