using System.Text;
using System.Text.Json;
using Flywheel.Evals.Datasets;

namespace Flywheel.Evals.Promotion;

/// <summary>Parses <c>--expected-tool-call</c>: <c>name(arg=value|alternative, optional?=value)</c> or a JSON expected call.</summary>
public static class ExpectedCallParser
{
    /// <summary>Parses one expected call.</summary>
    /// <exception cref="FormatException">The text is neither form.</exception>
    public static ExpectedToolCall Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                return JsonSerializer.Deserialize(trimmed, FlywheelJson.Info<ExpectedToolCall>()) ?? throw new FormatException("empty expected call");
            }
            catch (JsonException ex)
            {
                throw new FormatException($"expected call is not valid JSON: {ex.Message}");
            }
        }

        var open = trimmed.IndexOf('(', StringComparison.Ordinal);
        if (open <= 0 || !trimmed.EndsWith(')'))
        {
            throw new FormatException($"'{text}' is not name(arg=value, ...) or a JSON object");
        }

        var arguments = new Dictionary<string, IReadOnlyList<JsonElement>>(StringComparer.Ordinal);
        foreach (var part in SplitTopLevel(trimmed[(open + 1)..^1]))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"argument '{part}' in '{text}' is not name=value");
            }

            var name = part[..equals].Trim();
            var optional = name.EndsWith('?');
            name = name.TrimEnd('?');
            var values = part[(equals + 1)..].Split('|').Select(v => Value(v.Trim())).ToList();
            if (optional)
            {
                values.Add(Value("\"\""));
            }

            arguments[name] = values;
        }

        return new ExpectedToolCall { Name = trimmed[..open].Trim(), Arguments = arguments };
    }

    // A value is JSON when it parses as a number, boolean, null, quoted string, array or object; otherwise a bare string.
    private static JsonElement Value(string raw)
    {
        try
        {
            using var document = JsonDocument.Parse(raw);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            using var document = JsonDocument.Parse(JsonSerializer.Serialize(raw, FlywheelJson.Info<string>()));
            return document.RootElement.Clone();
        }
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var quoted = false;
        var current = new StringBuilder();
        foreach (var c in text)
        {
            quoted = c == '"' ? !quoted : quoted;
            depth += quoted ? 0 : c is '[' or '{' ? 1 : c is ']' or '}' ? -1 : 0;
            if (c == ',' && depth == 0 && !quoted)
            {
                if (current.ToString().Trim().Length > 0)
                {
                    yield return current.ToString().Trim();
                }

                current.Clear();
                continue;
            }

            current.Append(c);
        }

        if (current.ToString().Trim().Length > 0)
        {
            yield return current.ToString().Trim();
        }
    }
}
