using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Flywheel.Evals.Suites;

/// <summary>The environment variables a suite names in <c>api_key_env</c>: which names are refused, and which a suite file names.</summary>
public static class ApiKeyVariables
{
    /// <summary>Prefixes of variables the CI runner owns (its token, the action's inputs, its runtime); a suite may never send them as a key.</summary>
    public static readonly IReadOnlyList<string> ReservedPrefixes = ["GITHUB_", "INPUT_", "ACTIONS_", "RUNNER_"];

    /// <summary>True when <paramref name="name"/> belongs to the runner (<c>GITHUB_TOKEN</c>, <c>INPUT_GITHUB_TOKEN</c> …), whatever its case.</summary>
    public static bool IsReserved(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ReservedPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Every name a suite's text gives as <c>api_key_env</c> (judge and chat target), read leniently: a broken file gives
    /// what can be read, never an error, because this runs before the suite is checked — to mask those variables first.
    /// </summary>
    public static IReadOnlyList<string> NamesIn(string? suiteText)
    {
        if (string.IsNullOrWhiteSpace(suiteText))
        {
            return [];
        }

        JObject json;
        try
        {
            json = JObject.Parse(suiteText.TrimStart('\uFEFF'), new JsonLoadSettings { CommentHandling = CommentHandling.Ignore });
        }
        catch (JsonReaderException)
        {
            return [];
        }

        var names = new List<string>();
        foreach (var section in new[] { "judge", "target" })
        {
            if (json[section] is JObject endpoint && endpoint["api_key_env"] is JValue { Type: JTokenType.String } value
                && value.Value<string>() is { Length: > 0 } name && !names.Contains(name, StringComparer.Ordinal))
            {
                names.Add(name);
            }
        }

        return names;
    }
}
