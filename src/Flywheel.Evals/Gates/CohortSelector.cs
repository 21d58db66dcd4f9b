namespace Flywheel.Evals.Gates;

/// <summary>Which rows a gate looks at: <c>*</c> (all), <c>key=value</c> (one cohort) or <c>key=*</c> (one cohort per value).</summary>
public sealed record CohortSelector(string? Key, string? Value)
{
    /// <summary>All rows.</summary>
    public static CohortSelector All { get; } = new(null, null);

    /// <summary>True for <c>key=*</c>, which expands into one cohort per tag value.</summary>
    public bool Expands => Key is not null && Value is null;

    /// <summary>Parses a selector; false with a reason when it is malformed.</summary>
    public static bool TryParse(string text, out CohortSelector selector, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        selector = All;
        error = string.Empty;
        var trimmed = text.Trim();
        if (trimmed == "*")
        {
            return true;
        }

        var equals = trimmed.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == trimmed.Length - 1 || trimmed.IndexOf('=', equals + 1) >= 0)
        {
            error = $"cohort '{text}' is not '*', 'key=value' or 'key=*'";
            return false;
        }

        var key = trimmed[..equals].Trim();
        var value = trimmed[(equals + 1)..].Trim();
        selector = new CohortSelector(key, value == "*" ? null : value);
        return true;
    }

    /// <summary>The cohort name for one value of this selector (<c>intent=beta</c>, or <c>*</c>).</summary>
    public static string Name(string? key, string? value) => key is null ? "*" : $"{key}={value}";

    /// <inheritdoc />
    public override string ToString() => Key is null ? "*" : $"{Key}={Value ?? "*"}";
}
