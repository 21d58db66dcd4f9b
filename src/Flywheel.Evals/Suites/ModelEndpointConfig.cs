namespace Flywheel.Evals.Suites;

/// <summary>An OpenAI-compatible endpoint and model, as the suite names it for the judge or a chat target. Never holds a key.</summary>
public sealed record ModelEndpointConfig
{
    /// <summary>The base URL of the API, e.g. <c>https://api.openai.com/v1</c> or <c>http://localhost:8000/v1</c>.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>The model (or deployment) name.</summary>
    public required string Model { get; init; }

    /// <summary>The environment variable that holds the API key; null for endpoints that need none.</summary>
    public string? ApiKeyEnv { get; init; }

    /// <summary>How long one call may take before it is abandoned (and retried).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How many times a failed call (429, 5xx, timeout, dropped connection) is retried.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>The sampling temperature; null leaves the endpoint's default.</summary>
    public double? Temperature { get; init; }

    /// <summary>Where the endpoint is declared in the suite file.</summary>
    public int Line { get; init; }

    /// <summary>The column of the declaration.</summary>
    public int Column { get; init; }

    /// <summary>Where <c>api_key_env</c> is written (for the "variable not set" diagnostic).</summary>
    public int ApiKeyEnvLine { get; init; }

    /// <summary>The endpoint as it may be shown and hashed: no user info, no query string (either could carry a secret).</summary>
    public string DisplayEndpoint => new UriBuilder(Endpoint) { UserName = string.Empty, Password = string.Empty, Query = string.Empty, Fragment = string.Empty }.Uri.ToString().TrimEnd('/');
}
