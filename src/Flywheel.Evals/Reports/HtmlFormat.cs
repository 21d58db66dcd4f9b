using System.Globalization;
using System.Text;
using System.Text.Json;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Runs;
using Flywheel.Evals.Targets;

namespace Flywheel.Evals.Reports;

/// <summary>Numbers, statuses and tool calls as the HTML report words them (plain strings; <see cref="HtmlWriter"/> encodes them).</summary>
internal static class HtmlFormat
{
    /// <summary>A rate in [0,1] as a CSS percentage position, clamped.</summary>
    public static string Position(double rate) => Math.Clamp(rate * 100, 0, 100).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A rate as a percentage with one decimal, no sign.</summary>
    public static string Percent(double rate) => (rate * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>A sort key.</summary>
    public static string Key(double? value) => value is { } v ? v.ToString("0.######", CultureInfo.InvariantCulture) : string.Empty;

    /// <summary>A 95% interval as "low–high%".</summary>
    public static string Interval(IReadOnlyList<double>? ci) => ci is { Count: 2 }
        ? $"{(ci[0] * 100).ToString("0.0", CultureInfo.InvariantCulture)}–{(ci[1] * 100).ToString("0.0", CultureInfo.InvariantCulture)}%"
        : "–";

    /// <summary>A count with thousands separators.</summary>
    public static string Count(long n) => ReportText.Count(n);

    /// <summary>The delta in points with an arrow and a real minus sign; the CSS class for its colour.</summary>
    public static (string Text, string Css) Delta(double delta)
    {
        var points = Math.Round(delta * 100, 1);
        if (Math.Abs(points) < 0.05)
        {
            return ("= 0.0 pt", "d-flat");
        }

        var text = Math.Abs(points).ToString("0.0", CultureInfo.InvariantCulture);
        return points > 0 ? ($"▲ +{text} pt", "d-up") : ($"▼ −{text} pt", "d-down");
    }

    /// <summary>How severe a gate outcome is (0 = worst), its label and its CSS class.</summary>
    public static (int Rank, string Label, string Css) Status(GateResult gate)
    {
        ArgumentNullException.ThrowIfNull(gate);
        return gate.Status switch
        {
            GateStatuses.Failed => (0, "✗ failed", "bad"),
            GateStatuses.Insufficient when gate.Blocking => (1, "✗ insufficient", "bad"),
            GateStatuses.Insufficient => (2, "⚠ insufficient (warning)", "warn"),
            GateStatuses.Skipped => (4, "– skipped", "mute"),
            GateStatuses.Passed => (5, "✓ passed", "ok"),
            _ => (3, gate.Status, "warn"),
        };
    }

    /// <summary>What a gate requires, in words.</summary>
    public static string Requirement(GateResult gate)
    {
        ArgumentNullException.ThrowIfNull(gate);
        var parts = new List<string>();
        if (gate.MinPassRate is { } min)
        {
            parts.Add($"≥ {Percent(min)}");
        }

        if (gate.MaxDrop is { } drop)
        {
            parts.Add($"drop ≤ {(drop * 100).ToString("0.0", CultureInfo.InvariantCulture)} pt");
        }

        if (gate.MinRows > 1)
        {
            parts.Add($"≥ {Count(gate.MinRows)} rows");
        }

        return parts.Count == 0 ? "–" : string.Join(", ", parts);
    }

    /// <summary>An expected call as <c>name(arg=a|b, optional?=c)</c>, the syntax of <c>flywheel promote --expected-tool-call</c>.</summary>
    public static string ExpectedCall(ExpectedToolCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var text = new StringBuilder(call.Name).Append('(');
        var first = true;
        foreach (var (name, values) in call.Arguments ?? new Dictionary<string, IReadOnlyList<JsonElement>>())
        {
            text.Append(first ? string.Empty : ", ").Append(name);
            first = false;
            var optional = values.Any(v => v.ValueKind == JsonValueKind.String && v.GetString() == string.Empty);
            var accepted = values.Where(v => !(v.ValueKind == JsonValueKind.String && v.GetString() == string.Empty)).Select(Value).ToList();
            if (optional)
            {
                text.Append('?');
            }

            if (accepted.Count > 0)
            {
                text.Append('=').AppendJoin('|', accepted);
            }
        }

        return text.Append(')').ToString();
    }

    /// <summary>A call the agent made as <c>name(arg=value, …)</c>; arguments that are not a JSON object are shown as given.</summary>
    public static string ResponseCall(ResponseToolCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var text = new StringBuilder(call.Name).Append('(');
        if (call.Arguments is { } arguments)
        {
            var element = arguments;
            if (element.ValueKind == JsonValueKind.String)
            {
                try
                {
                    using var parsed = JsonDocument.Parse(element.GetString() ?? string.Empty);
                    element = parsed.RootElement.Clone();
                }
                catch (JsonException)
                {
                    return text.Append(element.GetString()).Append(')').ToString();
                }
            }

            if (element.ValueKind == JsonValueKind.Object)
            {
                text.AppendJoin(", ", element.EnumerateObject().Select(p => $"{p.Name}={Value(p.Value)}"));
            }
            else if (element.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
            {
                text.Append(element.GetRawText());
            }
        }

        return text.Append(')').ToString();
    }

    /// <summary>Latency, tokens and model of a response, or empty.</summary>
    public static string ResponseFacts(Response response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var facts = new List<string>();
        if (response.Model is { Length: > 0 } model)
        {
            facts.Add(model);
        }

        if (response.LatencyMs is { } latency)
        {
            facts.Add($"{latency.ToString("#,0", CultureInfo.InvariantCulture)} ms");
        }

        if (response.InputTokens is { } input && response.OutputTokens is { } output)
        {
            facts.Add($"{Count(input)} → {Count(output)} tokens");
        }

        return string.Join(" · ", facts);
    }

    /// <summary>A score's value with two decimals, or empty when undecided.</summary>
    public static string ScoreValue(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : string.Empty;

    /// <summary>A run's start time as "2026-11-22 21:08 UTC" (or as given when it is not a timestamp).</summary>
    public static string When(string? startedAt)
    {
        if (startedAt is null)
        {
            return "–";
        }

        return DateTimeOffset.TryParse(startedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)
            : startedAt;
    }

    /// <summary>A commit shortened to 12 characters (keeping a +dirty mark).</summary>
    public static string ShortCommit(string commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var dirty = commit.EndsWith("+dirty", StringComparison.Ordinal);
        var sha = dirty ? commit[..^6] : commit;
        return (sha.Length > 12 ? sha[..12] : sha) + (dirty ? "+dirty" : string.Empty);
    }

    private static string Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? string.Empty,
        _ => value.GetRawText(),
    };
}
