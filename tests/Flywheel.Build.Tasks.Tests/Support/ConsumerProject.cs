using System.Text;
using System.Xml.Linq;

namespace Flywheel.Build.Tasks.Tests.Support;

/// <summary>
/// A fresh project in its own folder that references the packed Flywheel.Build.Tasks from the local feed and declares the
/// repository's sample suite (datasets/, evaluators/, samples/responses/ copied in), built with real <c>dotnet build</c>.
/// </summary>
internal sealed class ConsumerProject
{
    private readonly TaskPackage _package;

    public ConsumerProject(TaskPackage package, string name)
    {
        _package = package;
        Root = Path.Combine(package.Root, "consumers", $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
        Directory.CreateDirectory(Root);
        foreach (var folder in new[] { "datasets", "evaluators", Path.Combine("samples", "responses") })
        {
            Copy(Path.Combine(RepositoryRoot.Path, folder), Path.Combine(Root, folder));
        }

        Write("Consumer.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Flywheel.Build.Tasks" Version="{package.Version}" />
                <FlywheelSuite Include="evaluators/flywheel.json" />
              </ItemGroup>
            </Project>
            """);
        Write("nuget.config", NuGetConfig(package.Feed));

        // Stop MSBuild's upward search: whatever Directory.*.props another project left in a parent folder is not ours.
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            Write(file, "<Project />\n");
        }
    }

    public string Root { get; }

    public string RowsPath => PathOf("datasets/banking-support/rows.jsonl");

    public string SuitePath => PathOf("evaluators/flywheel.json");

    public string PathOf(string relative) => Path.GetFullPath(Path.Combine(Root, relative));

    public void Write(string relative, string text)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, new UTF8Encoding(false));
    }

    public string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>The 1-based line of <paramref name="relative"/> that contains <paramref name="text"/>.</summary>
    public int LineOf(string relative, string text)
    {
        var lines = File.ReadAllLines(PathOf(relative));
        var index = Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
        return index >= 0 ? index + 1 : throw new InvalidOperationException($"'{text}' is not in {relative}");
    }

    /// <summary>Runs <c>dotnet build</c> on the project with <paramref name="args"/> (e.g. <c>-t:FlywheelGate</c>).</summary>
    public Task<ProcessResult> BuildAsync(params string[] args) =>
        DotnetProcess.RunAsync(Root, _package.Environment, BuildArguments(args));

    /// <summary>Starts <c>dotnet build</c> without waiting, Ctrl+C deliverable.</summary>
    public DotnetProcess StartBuild(params string[] args) =>
        DotnetProcess.Start(Root, _package.Environment, BuildArguments(args), restoreSigint: true);

    private static string[] BuildArguments(string[] args) =>
        ["build", "Consumer.csproj", "-nodeReuse:false", "--disable-build-servers", "-tl:off", .. args];

    // The local feed first, then the sources this machine restores from (keys and URLs only, never credentials).
    private static string NuGetConfig(string feed)
    {
        var sources = new List<(string Key, string Value)> { ("flywheel-local", feed) };
        var userConfig = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "NuGet", "NuGet.Config");
        if (File.Exists(userConfig))
        {
            foreach (var add in XDocument.Load(userConfig).Root?.Element("packageSources")?.Elements("add") ?? [])
            {
                if (add.Attribute("key")?.Value is { } key && add.Attribute("value")?.Value is { } value)
                {
                    sources.Add((key, value));
                }
            }
        }

        if (sources.Count == 1)
        {
            sources.Add(("nuget.org", "https://api.nuget.org/v3/index.json"));
        }

        var config = new XElement("configuration",
            new XElement("packageSources",
                new XElement("clear"),
                sources.Select(s => new XElement("add", new XAttribute("key", s.Key), new XAttribute("value", s.Value)))));
        return new XDocument(config).ToString() + "\n";
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
