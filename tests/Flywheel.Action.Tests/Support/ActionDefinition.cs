using YamlDotNet.RepresentationModel;

namespace Flywheel.Action.Tests.Support;

/// <summary>action.yml at the repository root: its declared inputs and outputs and its steps.</summary>
internal sealed record ActionDefinition(YamlMappingNode Root, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs)
{
    public static ActionDefinition Load()
    {
        var root = YamlFile.Load("action.yml");
        return new ActionDefinition(root, root.Map("inputs")?.Keys().ToList() ?? [], root.Map("outputs")?.Keys().ToList() ?? []);
    }

    public IEnumerable<YamlMappingNode> Steps => Root.Map("runs")?.Items("steps") ?? [];
}
