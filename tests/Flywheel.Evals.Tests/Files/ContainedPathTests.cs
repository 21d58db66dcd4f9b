using Flywheel.Evals.Files;
using Flywheel.Evals.Tests.Support;

namespace Flywheel.Evals.Tests.Files;

/// <summary>A path is inside the root when it is after every symbolic link is followed, in every component and the last.</summary>
public sealed class ContainedPathTests
{
    [Fact]
    public void Plain_paths_inside_are_inside_and_dot_dot_out_is_not()
    {
        using var temp = new TempDirectory();
        var root = Directory.CreateDirectory(Path.Combine(temp.Path, "repo")).FullName;

        Assert.True(ContainedPath.IsInside(root, root));
        Assert.True(ContainedPath.IsInside(root, Path.Combine(root, "datasets/demo/rows.jsonl")));
        Assert.True(ContainedPath.IsInside(root, Path.Combine(root, "datasets/../responses.jsonl")));
        Assert.False(ContainedPath.IsInside(root, Path.Combine(root, "../elsewhere")));
        Assert.False(ContainedPath.IsInside(root, Path.Combine(root, "../repo-other/x")));
        Assert.False(ContainedPath.IsInside(root, "/etc/shadow"));
    }

    [Fact]
    public void Links_are_followed_in_every_component_and_the_last()
    {
        using var temp = new TempDirectory();
        var root = Directory.CreateDirectory(Path.Combine(temp.Path, "repo")).FullName;
        var outside = Directory.CreateDirectory(Path.Combine(temp.Path, "outside")).FullName;
        File.WriteAllText(Path.Combine(outside, "secret"), "s");
        Directory.CreateDirectory(Path.Combine(root, "datasets/real"));
        File.WriteAllText(Path.Combine(root, "datasets/real/rows.jsonl"), "{}");
        Directory.CreateSymbolicLink(Path.Combine(root, "datasets/out"), outside);
        Directory.CreateSymbolicLink(Path.Combine(root, "datasets/alias"), "real");
        File.CreateSymbolicLink(Path.Combine(root, "datasets/real/shadow.jsonl"), "/etc/shadow");
        File.CreateSymbolicLink(Path.Combine(root, "datasets/real/relative.jsonl"), "../../../outside/secret");
        File.CreateSymbolicLink(Path.Combine(root, "datasets/real/copy.jsonl"), "rows.jsonl");
        // A link out and back in again ends inside.
        File.CreateSymbolicLink(Path.Combine(outside, "back"), Path.Combine(root, "datasets/real/rows.jsonl"));

        Assert.False(ContainedPath.IsInside(root, Path.Combine(root, "datasets/out")));
        Assert.False(ContainedPath.IsInside(root, Path.Combine(root, "datasets/out/secret")));
        Assert.False(ContainedPath.IsInside(root, Path.Combine(root, "datasets/real/shadow.jsonl")));
        Assert.False(ContainedPath.IsInside(root, Path.Combine(root, "datasets/real/relative.jsonl")));
        Assert.True(ContainedPath.IsInside(root, Path.Combine(root, "datasets/alias/rows.jsonl")));
        Assert.True(ContainedPath.IsInside(root, Path.Combine(root, "datasets/real/copy.jsonl")));
        Assert.True(ContainedPath.IsInside(root, Path.Combine(root, "datasets/out/back")));
        // "x/link/.." is where the link leads, then up: outside here, though it reads as inside.
        Assert.Equal(temp.Path.TrimEnd('/'), ContainedPath.Resolve(Path.Combine(root, "datasets/out") + "/.."));
    }

    [Fact]
    public void A_root_reached_through_a_link_holds_its_own_files_and_a_loop_holds_nothing()
    {
        using var temp = new TempDirectory();
        var real = Directory.CreateDirectory(Path.Combine(temp.Path, "real-repo")).FullName;
        File.WriteAllText(Path.Combine(real, "responses.jsonl"), "{}");
        var linkedRoot = Path.Combine(temp.Path, "repo");
        Directory.CreateSymbolicLink(linkedRoot, real);
        File.CreateSymbolicLink(Path.Combine(real, "loop"), Path.Combine(real, "loop"));

        Assert.True(ContainedPath.IsInside(linkedRoot, Path.Combine(linkedRoot, "responses.jsonl")));
        Assert.True(ContainedPath.IsInside(linkedRoot, Path.Combine(real, "responses.jsonl")));
        Assert.False(ContainedPath.IsInside(linkedRoot, Path.Combine(linkedRoot, "loop")));
        Assert.Null(ContainedPath.Resolve(Path.Combine(real, "loop")));
    }
}
