using LibGit2Sharp;

namespace Flywheel.Action.Tests.Support;

/// <summary>A real git repository shaped like a pull request: a base commit on main and a head commit on a feature branch, checked out.</summary>
internal sealed class PullRequestRepository : IDisposable
{
    /// <summary>The suite file, as it is at the base.</summary>
    public const string ConfigPath = "evaluators/flywheel.json";

    /// <summary>Good responses except balance-0002 (line 2 of rows.jsonl), which now calls the tool for the wrong account.</summary>
    public static readonly string RegressingResponses = TempSuite.ValidResponses.Replace("\"account_id\":\"SAV-9\"", "\"account_id\":\"CHK-1\"", StringComparison.Ordinal);

    /// <summary>A suite whose only gate lets one of the two balance rows fail: gates pass, the row still regresses.</summary>
    public const string LenientSuite =
        """
        {
          "datasets": ["datasets/demo"],
          "target": { "kind": "recorded", "responses": "responses.jsonl" },
          "evaluators": [
            { "name": "answer", "kind": "ground-truth-match", "method": "token-f1", "threshold": 0.6 },
            { "name": "grounded", "kind": "groundedness", "method": "lexical", "threshold": 0.7 },
            { "name": "tools", "kind": "tool-selection" }
          ],
          "gates": [
            { "cohort": "intent=*", "min_pass_rate": 0.5 }
          ]
        }
        """;

    private static readonly Signature Author = new("Dana Reviewer", "dana@example.com", new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));

    private PullRequestRepository()
    {
        Root = Directory.CreateTempSubdirectory("flywheel-pr-").FullName;
        Repository.Init(Root);
    }

    public string Root { get; }

    public string BaseSha { get; private set; } = string.Empty;

    public string HeadSha { get; private set; } = string.Empty;

    /// <summary>Base: the valid demo suite with good responses (or <paramref name="baseSuite"/> and <paramref name="baseResponses"/>). Head: <paramref name="headResponses"/> and, if given, <paramref name="headSuite"/>. Both hold <paramref name="rows"/> when given.</summary>
    public static PullRequestRepository Create(string headResponses, string? headSuite = null, bool suiteAtBase = true, string? rows = null, string? baseSuite = null, string? baseResponses = null)
    {
        var repository = new PullRequestRepository();
        repository.Write(".gitignore", ".flywheel/\n");
        repository.Write("README.md", "demo\n");
        if (suiteAtBase)
        {
            repository.WriteSuite(baseSuite ?? TempSuite.ValidSuite, baseResponses ?? TempSuite.ValidResponses, rows);
        }

        repository.BaseSha = repository.Commit("base");
        using (var git = new Repository(repository.Root))
        {
            Commands.Checkout(git, git.CreateBranch("feature"));
        }

        repository.WriteSuite(headSuite ?? TempSuite.ValidSuite, headResponses, rows);
        repository.Write("README.md", "demo\nthe agent's prompt changed\n");
        repository.HeadSha = repository.Commit("head: change the agent");
        return repository;
    }

    /// <summary>The 1-based line of the suite file (as committed at the head) that holds <paramref name="text"/>.</summary>
    public int LineOf(string relative, string text)
    {
        var lines = File.ReadAllLines(Path.Combine(Root, relative));
        var index = Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
        Assert.True(index >= 0, $"'{text}' not in {relative}");
        return index + 1;
    }

    public void Write(string relative, string text)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void Dispose() => TempFolder.DeleteQuietly(Root);

    private void WriteSuite(string suite, string responses, string? rows)
    {
        Write("datasets/demo/dataset.json", """{"name":"demo","version":"1.0.0","cohort_keys":["intent","locale"]}""");
        Write("datasets/demo/rows.jsonl", (rows ?? TempSuite.ValidRows) + "\n");
        Write("responses.jsonl", responses + "\n");
        Write(ConfigPath, suite);
    }

    private string Commit(string message)
    {
        using var repository = new Repository(Root);
        Commands.Stage(repository, "*");
        return repository.Commit(message, Author, Author).Sha;
    }
}
