using System.Text.RegularExpressions;
using Flywheel.Action.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Flywheel.Action.Tests.GitHub;

/// <summary>action.yml and .github/workflows parse, stay least-privilege and pinned, and pass only what the action declares.</summary>
public sealed partial class WorkflowFilesTests
{
    private static readonly string[] Workflows = Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, ".github", "workflows"), "*.yml")
        .Select(f => Path.GetRelativePath(RepositoryRoot.Path, f).Replace('\\', '/'))
        .Order(StringComparer.Ordinal)
        .ToArray();

    [Fact]
    public void The_pull_request_gate_and_ci_workflows_exist()
    {
        Assert.Equal([".github/workflows/ci.yml", ".github/workflows/flywheel.yml"], Workflows);
    }

    [Fact]
    public void No_workflow_runs_on_pull_request_target()
    {
        foreach (var workflow in Workflows)
        {
            var triggers = Triggers(YamlFile.Load(workflow));
            Assert.DoesNotContain("pull_request_target", triggers);
            Assert.Contains("pull_request", triggers);
        }
    }

    [Fact]
    public void Permissions_are_read_only_except_pull_requests_write_for_the_commenting_job()
    {
        foreach (var workflow in Workflows)
        {
            var root = YamlFile.Load(workflow);
            var top = Assert.IsType<YamlMappingNode>(root.Get("permissions"));
            Assert.All(top.Children, p => Assert.True(((YamlScalarNode)p.Value).Value is "read" or "none", $"{workflow}: workflow permission {p.Key}: {p.Value}"));
            foreach (var (name, job) in Jobs(root))
            {
                var comments = LocalActionSteps(job).Any(s => s.Map("with")?.Text("comment") != "false");
                var permissions = job.Map("permissions");
                if (permissions is null)
                {
                    Assert.False(comments, $"{workflow}: job '{name}' comments but inherits read-only permissions");
                    continue;
                }

                foreach (var (scope, level) in permissions.Children.Select(kv => (((YamlScalarNode)kv.Key).Value!, ((YamlScalarNode)kv.Value).Value!)))
                {
                    var allowed = level is "read" or "none" || (scope == "pull-requests" && level == "write" && comments);
                    Assert.True(allowed, $"{workflow}: job '{name}' asks for {scope}: {level}");
                }

                if (comments)
                {
                    Assert.Equal("write", permissions.Text("pull-requests"));
                }
            }
        }
    }

    [Fact]
    public void Third_party_actions_are_pinned_to_a_full_commit_sha()
    {
        var uses = Workflows.SelectMany(w => Jobs(YamlFile.Load(w)).SelectMany(j => j.Job.Items("steps")).Select(s => (File: w, Uses: s.Text("uses"))))
            .Concat(ActionDefinition.Load().Steps.Select(s => (File: "action.yml", Uses: s.Text("uses"))))
            .Where(u => u.Uses is not null && !u.Uses.StartsWith("./", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(uses);
        Assert.All(uses, u => Assert.True(PinnedAction().IsMatch(u.Uses!), $"{u.File}: '{u.Uses}' is not pinned to a 40-hex commit sha"));
    }

    [Fact]
    public void Workflows_pass_only_declared_inputs_and_read_only_declared_outputs()
    {
        var action = ActionDefinition.Load();
        var used = 0;
        foreach (var workflow in Workflows)
        {
            var root = YamlFile.Load(workflow);
            foreach (var (name, job) in Jobs(root))
            {
                var ids = new HashSet<string>(StringComparer.Ordinal);
                foreach (var step in LocalActionSteps(job))
                {
                    used++;
                    foreach (var key in step.Map("with")?.Keys() ?? [])
                    {
                        Assert.True(action.Inputs.Contains(key), $"{workflow}: job '{name}' passes '{key}', which action.yml does not declare (inputs: {string.Join(", ", action.Inputs)})");
                    }

                    if (step.Text("id") is { } id)
                    {
                        ids.Add(id);
                    }
                }

                foreach (Match reference in StepOutput().Matches(string.Join('\n', job.Scalars())))
                {
                    if (ids.Contains(reference.Groups["step"].Value))
                    {
                        Assert.Contains(reference.Groups["output"].Value, action.Outputs);
                    }
                }
            }
        }

        Assert.True(used > 0, "no workflow uses the local action");
    }

    [Fact]
    public void Action_uses_only_declared_inputs_and_maps_every_input_to_its_INPUT_variable()
    {
        var action = ActionDefinition.Load();
        Assert.Equal(["config", "responses", "baseline-ref", "comment", "fail-on", "github-token", "trust", "allow-untrusted-head", "comment-key", "upload-artifact", "concurrency", "max-calls", "no-cache"], action.Inputs);
        Assert.Equal("composite", action.Root.Map("runs")?.Text("using"));
        var referenced = action.Steps.SelectMany(s => s.Scalars()).SelectMany(t => InputReference().Matches(t)).Select(m => m.Groups["input"].Value).ToHashSet(StringComparer.Ordinal);
        Assert.All(referenced, input => Assert.Contains(input, action.Inputs));

        var run = Assert.Single(action.Steps, s => s.Text("id") == "flywheel");
        Assert.Contains("dotnet \"$RUNNER_TEMP/flywheel-bin/flywheel.dll\" github || code=$?", run.Text("run"), StringComparison.Ordinal);
        var env = Assert.IsType<YamlMappingNode>(run.Get("env"));
        foreach (var input in action.Inputs)
        {
            var variable = "INPUT_" + input.ToUpperInvariant().Replace('-', '_');
            Assert.Equal($"${{{{ inputs.{input} }}}}", env.Text(variable));
        }

        foreach (var output in action.Outputs)
        {
            Assert.Equal($"${{{{ steps.flywheel.outputs.{output} }}}}", action.Root.Map("outputs")!.Map(output)!.Text("value"));
        }
    }

    [Fact]
    public async Task Flywheels_own_build_warnings_never_fail_a_consumers_gate()
    {
        // Finding 7: the action's build must not turn a new compiler warning or NuGet advisory into a failed gate.
        var build = Assert.Single(ActionDefinition.Load().Steps, s => s.Text("name") == "Build Flywheel");
        var command = build.Text("run")!;
        var properties = BuildSwitch().Matches(command).Select(m => m.Value).ToList();
        Assert.Contains("-p:TreatWarningsAsErrors=false", properties);
        Assert.Contains("-p:NuGetAudit=false", properties);
        Assert.Contains("-clp:ErrorsOnly", properties);
        Assert.Contains("exit 2;", command, StringComparison.Ordinal);

        // The same switches on a project that treats warnings as errors and has one: it builds, and prints no warning
        // for setup-dotnet's problem matcher to turn into an annotation on the consumer's pull request.
        var project = Directory.CreateTempSubdirectory("flywheel-build-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(project, "Warned.csproj"), """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <NuGetAudit>true</NuGetAudit>
                  </PropertyGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(project, "Warned.cs"), "public static class Warned { public static int M() { int unused = 1; return 0; } }\n");
            var strict = await FlywheelProcess.RunToEndAsync(FlywheelProcess.StartInfo("dotnet", project, ["build", "--nologo"]), TimeSpan.FromMinutes(3));
            var lenient = await FlywheelProcess.RunToEndAsync(FlywheelProcess.StartInfo("dotnet", project, ["build", "--nologo", "-v", "quiet", .. properties]), TimeSpan.FromMinutes(3));

            Assert.True(strict.ExitCode != 0 && strict.Stdout.Contains("error CS0219", StringComparison.Ordinal), strict.ToString());
            Assert.True(lenient.ExitCode == 0, lenient.ToString());
            Assert.DoesNotContain("CS0219", lenient.Stdout + lenient.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            TempFolder.DeleteQuietly(project);
        }
    }

    [Fact]
    public void Action_uploads_the_report_and_caches_answers_with_pinned_actions_whatever_the_verdict()
    {
        var steps = ActionDefinition.Load().Steps.ToList();
        var run = steps.FindIndex(s => s.Text("id") == "flywheel");
        var upload = Assert.Single(steps, s => s.Text("uses")?.StartsWith("actions/upload-artifact@", StringComparison.Ordinal) == true);
        Assert.Equal("actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02", upload.Text("uses"));
        Assert.Equal("inputs.upload-artifact == 'true' && steps.flywheel.outputs.run-json != ''", upload.Text("if"));
        Assert.Equal("${{ steps.flywheel.outputs.artifact-name }}", upload.Map("with")!.Text("name"));
        Assert.Contains("${{ steps.flywheel.outputs.report-html }}", upload.Map("with")!.Text("path"), StringComparison.Ordinal);

        var restore = Assert.Single(steps, s => s.Text("uses")?.StartsWith("actions/cache/restore@", StringComparison.Ordinal) == true);
        var save = Assert.Single(steps, s => s.Text("uses")?.StartsWith("actions/cache/save@", StringComparison.Ordinal) == true);
        Assert.Equal("actions/cache/restore@5a3ec84eff668545956fd18022155c47e93e2684", restore.Text("uses"));
        Assert.Equal("actions/cache/save@5a3ec84eff668545956fd18022155c47e93e2684", save.Text("uses"));
        var cachePath = $"${{{{ runner.temp }}}}/{Flywheel.Action.GitHub.GitHubCommand.CacheFolder}";
        Assert.Equal((cachePath, cachePath), (restore.Map("with")!.Text("path"), save.Map("with")!.Text("path")));
        Assert.Equal(restore.Map("with")!.Text("key"), save.Map("with")!.Text("key"));
        Assert.Equal(3, restore.Map("with")!.Text("restore-keys")!.Trim().Split('\n').Length);

        // The gate's step never fails on its own: its exit code is replayed last, so the upload and the cache save run first.
        Assert.True(steps.IndexOf(restore) < run && run < steps.IndexOf(upload) && run < steps.IndexOf(save));
        Assert.Contains("echo \"exit-code=$code\" >> \"$GITHUB_OUTPUT\"", steps[run].Text("run"), StringComparison.Ordinal);
        var verdict = steps[^1];
        Assert.Equal("${{ steps.flywheel.outputs.exit-code }}", verdict.Map("env")!.Text("EXIT_CODE"));
        Assert.Contains("exit \"$EXIT_CODE\"", verdict.Text("run"), StringComparison.Ordinal);
    }

    [Fact]
    public void Pull_request_gate_is_grouped_per_pull_request_and_fetches_the_base()
    {
        var root = YamlFile.Load(".github/workflows/flywheel.yml");
        var concurrency = Assert.IsType<YamlMappingNode>(root.Get("concurrency"));
        Assert.Contains("github.event.pull_request.number", concurrency.Text("group"), StringComparison.Ordinal);
        Assert.Equal("true", concurrency.Text("cancel-in-progress"));
        foreach (var (name, job) in Jobs(root).Where(j => LocalActionSteps(j.Job).Any()))
        {
            var checkout = Assert.Single(job.Items("steps"), s => s.Text("uses")?.StartsWith("actions/checkout@", StringComparison.Ordinal) == true);
            Assert.True(checkout.Map("with")?.Text("fetch-depth") == "0", $"job '{name}': the baseline at the pull request's base needs fetch-depth: 0");
        }
    }

    [Fact]
    public void Ci_builds_the_solution_and_runs_dotnet_test()
    {
        var runs = Jobs(YamlFile.Load(".github/workflows/ci.yml")).SelectMany(j => j.Job.Items("steps")).Select(s => s.Text("run")).OfType<string>().ToList();
        Assert.Contains("dotnet build Flywheel.sln", runs);
        Assert.Contains("dotnet test", runs);
    }

    [Fact]
    public void Readme_snippet_parses_and_passes_only_declared_inputs()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        var section = readme[readme.IndexOf("## GitHub Action", StringComparison.Ordinal)..];
        var snippet = YamlBlock().Match(section);
        Assert.True(snippet.Success, "the GitHub Action section has no yaml block");
        var steps = Assert.IsType<YamlSequenceNode>(new Func<YamlNode>(() =>
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(snippet.Groups["yaml"].Value));
            return stream.Documents[0].RootNode;
        })());
        var flywheel = Assert.Single(steps.Children.OfType<YamlMappingNode>(), s => s.Text("uses")?.Contains("/flywheel@", StringComparison.Ordinal) == true);
        var action = ActionDefinition.Load();
        Assert.All(flywheel.Map("with")?.Keys() ?? [], key => Assert.Contains(key, action.Inputs));
        Assert.Equal(5, snippet.Groups["yaml"].Value.Trim().Split('\n').Length);
    }

    private static HashSet<string> Triggers(YamlMappingNode workflow) => workflow.Get("on") switch
    {
        YamlScalarNode scalar => [scalar.Value!],
        YamlSequenceNode sequence => sequence.Children.OfType<YamlScalarNode>().Select(s => s.Value!).ToHashSet(),
        YamlMappingNode mapping => mapping.Keys().ToHashSet(),
        _ => throw new Xunit.Sdk.XunitException("workflow has no 'on'"),
    };

    private static IEnumerable<(string Name, YamlMappingNode Job)> Jobs(YamlMappingNode workflow) =>
        workflow.Map("jobs")?.Children.Select(kv => (((YamlScalarNode)kv.Key).Value!, (YamlMappingNode)kv.Value)) ?? [];

    private static IEnumerable<YamlMappingNode> LocalActionSteps(YamlMappingNode job) => job.Items("steps").Where(s => s.Text("uses") == "./");

    [GeneratedRegex(@"-(p|clp):\S+")]
    private static partial Regex BuildSwitch();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[^@\s]+)?@[0-9a-f]{40}$")]
    private static partial Regex PinnedAction();

    [GeneratedRegex(@"\$\{\{\s*inputs\.(?<input>[A-Za-z0-9_-]+)\s*\}\}")]
    private static partial Regex InputReference();

    [GeneratedRegex(@"steps\.(?<step>[A-Za-z0-9_-]+)\.outputs\.(?<output>[A-Za-z0-9_-]+)")]
    private static partial Regex StepOutput();

    [GeneratedRegex(@"```yaml\n(?<yaml>.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
