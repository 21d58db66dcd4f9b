using LibGit2Sharp;

namespace Flywheel.Evals.Tests.Support;

/// <summary>A real git repository in a temp folder, with helpers to write files and commit them.</summary>
internal sealed class TempRepository : IDisposable
{
    private static readonly Signature Author = new("Test Author", "author@example.com", new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));

    public TempRepository()
    {
        Root = Directory.CreateTempSubdirectory("flywheel-repo-").FullName;
        Repository.Init(Root);
        using var repository = new Repository(Root);
        repository.Config.Set("user.name", "Test Author");
        repository.Config.Set("user.email", "author@example.com");
    }

    public string Root { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public void Write(string relative, string text)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void Delete(string relative) => File.Delete(PathOf(relative));

    public string Read(string relative) => File.ReadAllText(PathOf(relative));

    public string Commit(string message)
    {
        using var repository = new Repository(Root);
        Commands.Stage(repository, "*");
        return repository.Commit(message, Author, Author).Sha;
    }

    public void Checkout(string committish)
    {
        using var repository = new Repository(Root);
        Commands.Checkout(repository, committish, new CheckoutOptions { CheckoutModifiers = CheckoutModifiers.Force });
    }

    public string HeadSha()
    {
        using var repository = new Repository(Root);
        return repository.Head.Tip.Sha;
    }

    public bool IsClean()
    {
        using var repository = new Repository(Root);
        return !repository.RetrieveStatus(new StatusOptions { IncludeUntracked = false }).IsDirty;
    }

    /// <summary>Writes the demo suite (see <see cref="DemoSuite"/>) with the given responses as the recorded target.</summary>
    public void WriteDemoSuite(string responses)
    {
        Write("datasets/demo/dataset.json", """{"name":"demo","version":"2.1.0","cohort_keys":["intent","locale"]}""");
        Write("datasets/demo/rows.jsonl", DemoSuite.Rows + "\n");
        Write("responses.jsonl", responses + "\n");
        Write("evaluators/flywheel.json", DemoSuite.Suite.Replace("good.jsonl", "responses.jsonl", StringComparison.Ordinal));
        Write(".gitignore", ".flywheel/\n");
    }

    public void Dispose() => TempFolder.DeleteQuietly(Root);
}
