using System.Collections;
using Flywheel.Evals.Diagnostics;

namespace Flywheel.Action.GitHub;

/// <summary>The Action's inputs (<c>INPUT_*</c>) and the runner's context (<c>GITHUB_*</c>, <c>RUNNER_TEMP</c>), read and checked once.</summary>
internal sealed record GitHubEnvironment
{
    /// <summary>Environment variables that may hold an LLM judge's API key; each value is masked in the log before anything else is printed.</summary>
    public static readonly IReadOnlyList<string> SecretVariables = ["OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "FLYWHEEL_JUDGE_API_KEY"];

    /// <summary>The checkout the inputs' paths are relative to.</summary>
    public required string Workspace { get; init; }

    /// <summary>The event that started the workflow (pull_request, push …).</summary>
    public string? EventName { get; init; }

    /// <summary>The event payload file.</summary>
    public string? EventPath { get; init; }

    /// <summary>The job summary file.</summary>
    public string? StepSummary { get; init; }

    /// <summary>The step outputs file.</summary>
    public string? OutputPath { get; init; }

    /// <summary>The REST API root (GitHub Enterprise and the tests' fake server set it).</summary>
    public required Uri ApiUrl { get; init; }

    /// <summary>owner/name of the repository the workflow runs in.</summary>
    public string? Repository { get; init; }

    /// <summary>The runner's scratch folder, where run.json and report.md go.</summary>
    public string? RunnerTemp { get; init; }

    /// <summary>The token for the comment; empty when none was given (fork pull requests get no secrets).</summary>
    public string? Token { get; init; }

    /// <summary>The suite file, relative to the workspace.</summary>
    public required string Config { get; init; }

    /// <summary>A responses file replacing the suite's recorded target, or null.</summary>
    public string? Responses { get; init; }

    /// <summary>The baseline revision given explicitly; null to default to the pull request's base.</summary>
    public string? BaselineRef { get; init; }

    /// <summary>True to skip the baseline (<c>baseline-ref: none</c>).</summary>
    public bool NoBaseline { get; init; }

    /// <summary>True to post or update the sticky pull request comment.</summary>
    public bool Comment { get; init; } = true;

    /// <summary>When the step fails.</summary>
    public FailOn FailOn { get; init; } = FailOn.Gate;

    /// <summary>True (<c>trust: base</c>, the default) to take the gates, evaluators, judge and endpoints from the pull request's base.</summary>
    public bool TrustBase { get; init; } = true;

    /// <summary>True to run under <c>pull_request_target</c> on a head from another repository (<c>allow-untrusted-head</c>).</summary>
    public bool AllowUntrustedHead { get; init; }

    /// <summary>What keeps this step's sticky comment apart from others on the pull request (<c>comment-key</c>); null for the suite path.</summary>
    public string? CommentKey { get; init; }

    /// <summary>True when the composite action uploads run.json and report.html as a workflow artifact (<c>upload-artifact</c>).</summary>
    public bool UploadArtifact { get; init; } = true;

    /// <summary>Rows scored and model calls in flight at once (<c>concurrency</c>); null for the defaults.</summary>
    public int? Concurrency { get; init; }

    /// <summary>The most model requests the run may send (<c>max-calls</c>); null for no limit.</summary>
    public int? MaxCalls { get; init; }

    /// <summary>True to call models even for answers the cache holds (<c>no-cache</c>).</summary>
    public bool NoCache { get; init; }

    /// <summary>The GraphQL endpoint (<c>GITHUB_GRAPHQL_URL</c>), where comments are listed with their author and minimized state.</summary>
    public required Uri GraphQLUrl { get; init; }

    /// <summary>The link to this workflow run (<c>GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID</c>); null outside a runner.</summary>
    public Uri? RunUrl { get; init; }

    /// <summary>The process environment as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> Current()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                variables[key] = value;
            }
        }

        return variables;
    }

    /// <summary>The values of every secret-bearing variable that is set, for masking before any input is checked.</summary>
    public static IReadOnlyList<string> SecretsIn(IReadOnlyDictionary<string, string> variables) =>
        ValuesOf(variables, SecretVariables.Concat(["INPUT_GITHUB_TOKEN", "INPUT_GITHUB-TOKEN", "GITHUB_TOKEN"]));

    /// <summary>The values of the named variables that are set (trimmed, each once), e.g. every variable a suite names in <c>api_key_env</c>.</summary>
    public static IReadOnlyList<string> ValuesOf(IReadOnlyDictionary<string, string> variables, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(names);
        return names.Select(n => variables.GetValueOrDefault(n)?.Trim()).Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Reads the inputs and the runner's variables.</summary>
    /// <exception cref="FlywheelInputException">An input has a value the Action does not take (every problem at once).</exception>
    public static GitHubEnvironment Read(IReadOnlyDictionary<string, string> variables, string currentDirectory)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var problems = new List<Diagnostic>();
        var failOnText = Input(variables, "fail-on");
        FailOn? failOn = failOnText?.ToLowerInvariant() switch
        {
            null or "gate" => FailOn.Gate,
            "regression" => FailOn.Regression,
            "never" => FailOn.Never,
            _ => null,
        };
        if (failOn is null)
        {
            problems.Add(Problem("fail-on", $"takes gate, regression or never, not '{failOnText}'"));
        }

        var comment = Flag(variables, "comment", true, problems);

        var trustText = Input(variables, "trust");
        var trustBase = trustText?.ToLowerInvariant() switch
        {
            null or "base" => true,
            "head" => false,
            _ => (bool?)null,
        };
        if (trustBase is null)
        {
            problems.Add(Problem("trust", $"takes base or head, not '{trustText}'"));
        }

        var allowUntrustedHead = Flag(variables, "allow-untrusted-head", false, problems);
        var uploadArtifact = Flag(variables, "upload-artifact", true, problems);
        var noCache = Flag(variables, "no-cache", false, problems);
        var concurrency = Number(variables, "concurrency", 1, problems);
        var maxCalls = Number(variables, "max-calls", 0, problems);

        var apiText = Get(variables, "GITHUB_API_URL") ?? "https://api.github.com";
        if (!Uri.TryCreate(apiText.TrimEnd('/') + "/", UriKind.Absolute, out var api) || api.Scheme is not ("https" or "http"))
        {
            problems.Add(new Diagnostic("GITHUB_API_URL", 0, 0, DiagnosticCodes.GitHubEnvironment, $"is not an http(s) URL: '{apiText}'"));
            api = new Uri("https://api.github.com/");
        }

        var graphQLText = Get(variables, "GITHUB_GRAPHQL_URL");
        var graphQL = DefaultGraphQL(api);
        if (graphQLText is not null && (!Uri.TryCreate(graphQLText, UriKind.Absolute, out graphQL) || graphQL.Scheme is not ("https" or "http")))
        {
            problems.Add(new Diagnostic("GITHUB_GRAPHQL_URL", 0, 0, DiagnosticCodes.GitHubEnvironment, $"is not an http(s) URL: '{graphQLText}'"));
            graphQL = DefaultGraphQL(api);
        }

        if (problems.Count > 0)
        {
            throw new FlywheelInputException(problems);
        }

        var baselineRef = Input(variables, "baseline-ref");
        var noBaseline = string.Equals(baselineRef, "none", StringComparison.OrdinalIgnoreCase);
        return new GitHubEnvironment
        {
            Workspace = Path.GetFullPath(Get(variables, "GITHUB_WORKSPACE") ?? currentDirectory),
            EventName = Get(variables, "GITHUB_EVENT_NAME"),
            EventPath = Get(variables, "GITHUB_EVENT_PATH"),
            StepSummary = Get(variables, "GITHUB_STEP_SUMMARY"),
            OutputPath = Get(variables, "GITHUB_OUTPUT"),
            ApiUrl = api,
            Repository = Get(variables, "GITHUB_REPOSITORY"),
            RunnerTemp = Get(variables, "RUNNER_TEMP"),
            Token = Input(variables, "github-token") ?? Get(variables, "GITHUB_TOKEN"),
            Config = Input(variables, "config") ?? "evaluators/flywheel.json",
            Responses = Input(variables, "responses"),
            BaselineRef = noBaseline ? null : baselineRef,
            NoBaseline = noBaseline,
            Comment = comment,
            FailOn = failOn ?? FailOn.Gate,
            TrustBase = trustBase ?? true,
            AllowUntrustedHead = allowUntrustedHead,
            CommentKey = Input(variables, "comment-key"),
            UploadArtifact = uploadArtifact,
            Concurrency = concurrency,
            MaxCalls = maxCalls,
            NoCache = noCache,
            GraphQLUrl = graphQL!,
            RunUrl = RunLink(variables),
        };
    }

    /// <summary>api.github.com answers GraphQL at /graphql; GitHub Enterprise Server's REST root is /api/v3 and its GraphQL /api/graphql.</summary>
    private static Uri DefaultGraphQL(Uri api) =>
        api.AbsolutePath.TrimEnd('/').EndsWith("/api/v3", StringComparison.OrdinalIgnoreCase)
            ? new Uri(api, "../graphql")
            : new Uri(api, "graphql");

    private static Uri? RunLink(IReadOnlyDictionary<string, string> variables)
    {
        var server = Get(variables, "GITHUB_SERVER_URL") ?? "https://github.com";
        if (Get(variables, "GITHUB_REPOSITORY") is not { } repository || Get(variables, "GITHUB_RUN_ID") is not { } runId
            || !runId.All(char.IsAsciiDigit) || !Uri.TryCreate($"{server.TrimEnd('/')}/{repository}/actions/runs/{runId}", UriKind.Absolute, out var url)
            || url.Scheme is not ("https" or "http"))
        {
            return null;
        }

        return url;
    }

    private static bool Flag(IReadOnlyDictionary<string, string> variables, string name, bool fallback, List<Diagnostic> problems)
    {
        var text = Input(variables, name);
        if (text is null)
        {
            return fallback;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        problems.Add(Problem(name, $"takes true or false, not '{text}'"));
        return fallback;
    }

    private static int? Number(IReadOnlyDictionary<string, string> variables, string name, int min, List<Diagnostic> problems)
    {
        var text = Input(variables, name);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min)
        {
            return value;
        }

        problems.Add(Problem(name, $"takes a whole number of at least {min}, not '{text}'"));
        return null;
    }

    /// <summary>An input as the runner passes it: <c>INPUT_FAIL_ON</c> (the composite action maps it so) or <c>INPUT_FAIL-ON</c> (the runner's own form); blank is unset.</summary>
    private static string? Input(IReadOnlyDictionary<string, string> variables, string name)
    {
        var upper = name.ToUpperInvariant();
        return Get(variables, "INPUT_" + upper.Replace('-', '_')) ?? Get(variables, "INPUT_" + upper);
    }

    private static string? Get(IReadOnlyDictionary<string, string> variables, string name) =>
        variables.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static Diagnostic Problem(string input, string message) =>
        new($"action input '{input}'", 0, 0, DiagnosticCodes.GitHubEnvironment, message);
}
