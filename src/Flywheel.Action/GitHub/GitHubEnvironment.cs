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
    public static IReadOnlyList<string> SecretsIn(IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var names = SecretVariables.Concat(["INPUT_GITHUB_TOKEN", "INPUT_GITHUB-TOKEN"]);
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

        var commentText = Input(variables, "comment");
        var comment = true;
        if (commentText is not null && !bool.TryParse(commentText, out comment))
        {
            problems.Add(Problem("comment", $"takes true or false, not '{commentText}'"));
        }

        var apiText = Get(variables, "GITHUB_API_URL") ?? "https://api.github.com";
        if (!Uri.TryCreate(apiText.TrimEnd('/') + "/", UriKind.Absolute, out var api) || api.Scheme is not ("https" or "http"))
        {
            problems.Add(new Diagnostic("GITHUB_API_URL", 0, 0, DiagnosticCodes.GitHubEnvironment, $"is not an http(s) URL: '{apiText}'"));
            api = new Uri("https://api.github.com/");
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
        };
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
