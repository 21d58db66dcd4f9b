using YamlDotNet.RepresentationModel;

namespace Flywheel.Action.Tests.Support;

/// <summary>A YAML file of the repository loaded into YamlDotNet's representation model, with small navigation helpers.</summary>
internal static class YamlFile
{
    public static YamlMappingNode Load(string relative)
    {
        var path = Path.Combine(RepositoryRoot.Path, relative);
        Assert.True(File.Exists(path), $"{relative} does not exist");
        return Parse(File.ReadAllText(path), relative);
    }

    public static YamlMappingNode Parse(string text, string name)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(text))
        {
            stream.Load(reader);
        }

        var document = Assert.Single(stream.Documents);
        return Assert.IsType<YamlMappingNode>(document.RootNode, exactMatch: false);
    }

    public static YamlNode? Get(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static YamlMappingNode? Map(this YamlMappingNode node, string key) => node.Get(key) as YamlMappingNode;

    public static string? Text(this YamlMappingNode node, string key) => (node.Get(key) as YamlScalarNode)?.Value;

    public static IEnumerable<string> Keys(this YamlMappingNode node) => node.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!);

    public static IEnumerable<YamlMappingNode> Items(this YamlMappingNode node, string key) =>
        (node.Get(key) as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [];

    /// <summary>Every scalar in the tree, for expression scans.</summary>
    public static IEnumerable<string> Scalars(this YamlNode node) => node switch
    {
        YamlScalarNode scalar => [scalar.Value ?? string.Empty],
        YamlMappingNode mapping => mapping.Children.SelectMany(kv => kv.Key.Scalars().Concat(kv.Value.Scalars())),
        YamlSequenceNode sequence => sequence.Children.SelectMany(Scalars),
        _ => [],
    };
}
