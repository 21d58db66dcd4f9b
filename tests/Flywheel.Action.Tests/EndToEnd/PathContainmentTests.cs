using Flywheel.Action.Tests.Support;

namespace Flywheel.Action.Tests.EndToEnd;

/// <summary>
/// A path the suite names must lead inside --root once symbolic links are followed; otherwise FW1030 at the suite line
/// naming it, exit 2, and nothing of the file outside is read or shown. Paths on the command line are the runner's own.
/// </summary>
public sealed class PathContainmentTests
{
    private const string Secret = "SECRET-7f3a outside the repository";

    [Fact]
    public async Task A_dataset_path_that_climbs_out_of_the_root_is_FW1030_and_nothing_of_it_is_shown()
    {
        using var suite = new TempSuite();
        using var outside = new Outside();
        var suiteText = TempSuite.ValidSuite.Replace("\"datasets/demo\"", $"\"../{outside.Name}/elsewhere\"", StringComparison.Ordinal);
        suite.Write("evaluators/flywheel.json", suiteText);

        var result = await suite.RunAsync("gate");

        AssertOutside(result, $"evaluators/flywheel.json(2,", $"dataset folder '../{outside.Name}/elsewhere' resolves outside the root");
    }

    [Fact]
    public async Task A_dataset_folder_linked_out_of_the_root_is_FW1030()
    {
        using var suite = new TempSuite();
        using var outside = new Outside();
        Directory.Delete(Path.Combine(suite.Root, "datasets/demo"), recursive: true);
        Directory.CreateSymbolicLink(Path.Combine(suite.Root, "datasets/demo"), Path.Combine(outside.Path, "elsewhere"));

        var result = await suite.RunAsync("validate");

        AssertOutside(result, "evaluators/flywheel.json(2,", "dataset folder 'datasets/demo' resolves outside the root");
    }

    [Fact]
    public async Task A_rows_file_or_manifest_linked_to_a_file_outside_even_etc_shadow_is_FW1030()
    {
        using var suite = new TempSuite();
        using var outside = new Outside();
        var rows = Path.Combine(suite.Root, "datasets/demo/rows.jsonl");
        File.Delete(rows);
        // /etc/shadow where the system has it (its first line is root's); a secret outside the root everywhere else.
        File.CreateSymbolicLink(rows, File.Exists("/etc/shadow") ? "/etc/shadow" : Path.Combine(outside.Path, "elsewhere/rows.jsonl"));

        var result = await suite.RunAsync("gate");

        AssertOutside(result, "evaluators/flywheel.json(2,", "rows file 'datasets/demo/rows.jsonl' resolves outside the root");
        Assert.DoesNotContain("root:", result.Stderr + result.Stdout, StringComparison.Ordinal);

        File.Delete(rows);
        File.WriteAllText(rows, TempSuite.ValidRows + "\n");
        var manifest = Path.Combine(suite.Root, "datasets/demo/dataset.json");
        File.Delete(manifest);
        File.CreateSymbolicLink(manifest, Path.Combine(outside.Path, "elsewhere/dataset.json"));

        AssertOutside(await suite.RunAsync("validate"), "evaluators/flywheel.json(2,", "dataset manifest 'datasets/demo/dataset.json' resolves outside the root");
    }

    [Fact]
    public async Task Responses_system_prompt_and_judge_prompt_outside_the_root_are_FW1030_at_their_lines()
    {
        using var suite = new TempSuite();
        using var outside = new Outside();
        File.CreateSymbolicLink(Path.Combine(suite.Root, "linked-responses.jsonl"), Path.Combine(outside.Path, "responses.jsonl"));
        suite.Write("evaluators/flywheel.json", TempSuite.ValidSuite.Replace("\"responses.jsonl\"", "\"linked-responses.jsonl\"", StringComparison.Ordinal));

        AssertOutside(await suite.RunAsync("gate"), "evaluators/flywheel.json(3,", "responses file 'linked-responses.jsonl' resolves outside the root");

        suite.Write("evaluators/flywheel.json", $$"""
            {
              "datasets": ["datasets/demo"],
              "target": { "kind": "chat", "endpoint": "http://127.0.0.1:9/v1", "model": "m",
                          "system_prompt": "../{{outside.Name}}/prompt.md" },
              "judge": { "endpoint": "http://127.0.0.1:9/v1", "model": "m" },
              "evaluators": [
                { "name": "grounded", "kind": "groundedness", "method": "llm", "threshold": 0.5, "prompt": "/{{outside.Path.TrimStart('/')}}/prompt.md" }
              ],
              "gates": [ { "cohort": "*", "min_pass_rate": 0.9 } ]
            }
            """);

        var result = await suite.RunAsync("validate");

        AssertOutside(result,
            "evaluators/flywheel.json(4,", $"system prompt '../{outside.Name}/prompt.md' resolves outside the root",
            "evaluators/flywheel.json(7,", "judge prompt of evaluator 'grounded'");
    }

    [Fact]
    public async Task Links_that_stay_inside_the_root_are_followed()
    {
        using var suite = new TempSuite();
        Directory.Move(Path.Combine(suite.Root, "datasets/demo"), Path.Combine(suite.Root, "data-store"));
        Directory.CreateDirectory(Path.Combine(suite.Root, "datasets/demo"));
        File.CreateSymbolicLink(Path.Combine(suite.Root, "datasets/demo/rows.jsonl"), "../../data-store/rows.jsonl");
        File.CreateSymbolicLink(Path.Combine(suite.Root, "datasets/demo/dataset.json"), Path.Combine(suite.Root, "data-store/dataset.json"));

        var result = await suite.RunAsync("gate");

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task A_responses_file_given_on_the_command_line_may_lie_outside_the_root()
    {
        using var suite = new TempSuite();
        using var outside = new Outside();
        var responses = Path.Combine(outside.Path, "responses.jsonl");
        File.WriteAllText(responses, TempSuite.ValidResponses + "\n");

        var result = await suite.RunAsync("gate", "--responses", responses);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private static void AssertOutside(ProcessResult result, params string[] fragments)
    {
        InputErrorAssert.Reported(result, [.. fragments, "error FW1030"]);
        Assert.DoesNotContain(Secret, result.Stderr + result.Stdout, StringComparison.Ordinal);
        // Nothing outside was parsed: no JSON or schema problem of it is reported.
        Assert.DoesNotContain("FW1001", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("FW1002", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("FW1010", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>A folder beside the suite's root holding a dataset, responses and a prompt whose every line is a secret that is not JSON.</summary>
    private sealed class Outside : IDisposable
    {
        public Outside()
        {
            Path = Directory.CreateTempSubdirectory("flywheel-outside-").FullName;
            Directory.CreateDirectory(System.IO.Path.Combine(Path, "elsewhere"));
            foreach (var file in new[] { "elsewhere/dataset.json", "elsewhere/rows.jsonl", "responses.jsonl", "prompt.md" })
            {
                File.WriteAllText(System.IO.Path.Combine(Path, file), Secret + "\n");
            }
        }

        public string Path { get; }

        public string Name => System.IO.Path.GetFileName(Path);

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
