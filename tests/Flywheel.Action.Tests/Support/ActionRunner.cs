using System.Text.Json.Nodes;

namespace Flywheel.Action.Tests.Support;

/// <summary>Plays the GitHub runner for one job: an event payload, GITHUB_* variables pointing at temp files, INPUT_* as the composite action maps them, then the real <c>flywheel github</c> process.</summary>
internal sealed class ActionRunner : IDisposable
{
    public const string Repository = "acme/bank";
    public const int PullRequestNumber = 42;

    private readonly string _workspace;

    public ActionRunner(string workspace)
    {
        _workspace = workspace;
        Temp = Directory.CreateTempSubdirectory("flywheel-runner-").FullName;
    }

    /// <summary>RUNNER_TEMP, which also holds the event, summary and output files.</summary>
    public string Temp { get; }

    /// <summary>The Action's inputs by their action.yml names.</summary>
    public Dictionary<string, string> Inputs { get; } = new(StringComparer.Ordinal) { ["config"] = PullRequestRepository.ConfigPath, ["comment"] = "true", ["fail-on"] = "gate" };

    /// <summary>Other variables (secrets the workflow passes as env).</summary>
    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    public string EventPath => Path.Combine(Temp, "event.json");

    /// <summary>GITHUB_EVENT_NAME: pull_request unless a test plays another trigger.</summary>
    public string EventName { get; set; } = "pull_request";

    public void WritePullRequestEvent(string baseSha, string headSha, string headRepository = Repository)
    {
        var payload = new JsonObject
        {
            ["action"] = "synchronize",
            ["number"] = PullRequestNumber,
            ["pull_request"] = new JsonObject
            {
                ["number"] = PullRequestNumber,
                ["base"] = new JsonObject { ["ref"] = "main", ["sha"] = baseSha, ["repo"] = new JsonObject { ["full_name"] = Repository } },
                ["head"] = new JsonObject { ["ref"] = "feature", ["sha"] = headSha, ["repo"] = new JsonObject { ["full_name"] = headRepository } },
            },
            ["repository"] = new JsonObject { ["full_name"] = Repository },
        };
        File.WriteAllText(EventPath, payload.ToJsonString());
    }

    /// <summary>Runs one step: fresh summary and output files, as the runner gives every step.</summary>
    public async Task<ActionResult> RunAsync(Uri? api = null, string? token = "test-token")
    {
        var summary = Path.Combine(Temp, "step_summary.md");
        var output = Path.Combine(Temp, "output.txt");
        File.WriteAllText(summary, string.Empty);
        File.WriteAllText(output, string.Empty);
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_EVENT_NAME"] = "pull_request",
            ["GITHUB_EVENT_PATH"] = EventPath,
            ["GITHUB_STEP_SUMMARY"] = summary,
            ["GITHUB_OUTPUT"] = output,
            ["GITHUB_REPOSITORY"] = Repository,
            ["GITHUB_WORKSPACE"] = _workspace,
            ["GITHUB_API_URL"] = api?.ToString() ?? "http://127.0.0.1:9/",
            ["GITHUB_GRAPHQL_URL"] = new Uri(api ?? new Uri("http://127.0.0.1:9/"), "graphql").ToString(),
            ["GITHUB_SERVER_URL"] = "https://github.example",
            ["GITHUB_RUN_ID"] = "4242",
            ["RUNNER_TEMP"] = Temp,
        };
        environment["GITHUB_EVENT_NAME"] = EventName;
        foreach (var (name, value) in Inputs)
        {
            environment["INPUT_" + name.ToUpperInvariant().Replace('-', '_')] = value;
        }

        if (token is not null)
        {
            environment["INPUT_GITHUB_TOKEN"] = token;
        }

        foreach (var (name, value) in Variables)
        {
            environment[name] = value;
        }

        var process = await FlywheelProcess.RunAsync(_workspace, environment, "github");
        return new ActionResult(process, File.ReadAllText(summary), ParseOutputs(File.ReadAllText(output)));
    }

    /// <summary>Reads GITHUB_OUTPUT as the runner does: <c>name=value</c> lines and <c>name&lt;&lt;DELIMITER</c> blocks.</summary>
    public static IReadOnlyDictionary<string, string> ParseOutputs(string text)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }

            var heredoc = line.IndexOf("<<", StringComparison.Ordinal);
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (heredoc > 0 && (equals < 0 || heredoc < equals))
            {
                var name = line[..heredoc];
                var delimiter = line[(heredoc + 2)..];
                var value = new List<string>();
                var closed = false;
                for (i++; i < lines.Length; i++)
                {
                    if (lines[i] == delimiter)
                    {
                        closed = true;
                        break;
                    }

                    value.Add(lines[i]);
                }

                Assert.True(closed, $"output '{name}' is never closed by its delimiter");
                outputs[name] = string.Join('\n', value);
            }
            else
            {
                Assert.True(equals > 0, $"malformed output line '{line}'");
                outputs[line[..equals]] = line[(equals + 1)..];
            }
        }

        return outputs;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Temp, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal sealed record ActionResult(ProcessResult Process, string Summary, IReadOnlyDictionary<string, string> Outputs)
{
    public int ExitCode => Process.ExitCode;

    /// <summary>Workflow commands printed to the log.</summary>
    public IReadOnlyList<string> Commands => Process.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("::", StringComparison.Ordinal)).ToList();

    public override string ToString() => $"{Process}\n--- summary ---\n{Summary}\n--- outputs ---\n{string.Join('\n', Outputs.Select(o => $"{o.Key}={o.Value}"))}";
}
