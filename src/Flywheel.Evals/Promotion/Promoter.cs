using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Git;
using Flywheel.Evals.Schemas;
using Flywheel.Evals.Suites;
using Flywheel.Evals.Text;
using LibGit2Sharp;
using Diagnostic = Flywheel.Evals.Diagnostics.Diagnostic;

namespace Flywheel.Evals.Promotion;

/// <summary>Turns a production trace into a pending dataset row: redacted, checked for near-duplicates, validated, inserted in id order, version bumped, optionally committed on a branch.</summary>
/// <remarks>Every check runs before anything is written, so a refused promotion leaves the dataset byte-identical.</remarks>
public static partial class Promoter
{
    /// <summary>Input similarity at or above which an existing row counts as the same case.</summary>
    public const double NearDuplicateThreshold = 0.8;

    /// <summary>Promotes a trace.</summary>
    /// <exception cref="FlywheelInputException">The trace, the dataset or the request is wrong; nothing was written.</exception>
    public static async Task<PromotionResult> PromoteAsync(PromotionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var schemas = await FlywheelSchemas.LoadAsync(cancellationToken).ConfigureAwait(false);
        var (datasetPath, redactPatterns) = await LocateAsync(request, schemas, cancellationToken).ConfigureAwait(false);
        var diagnostics = new DiagnosticBag();
        var reader = new DatasetReader(schemas);
        var dataset = await reader.LoadAsync(request.Root, datasetPath, diagnostics, cancellationToken).ConfigureAwait(false);
        diagnostics.ThrowIfErrors();

        var traceDisplay = SuiteLoader.DisplayPath(Path.GetFullPath(request.TracePath, request.Root), request.Root);
        if (!File.Exists(Path.GetFullPath(request.TracePath, request.Root)))
        {
            throw Error(traceDisplay, 0, DiagnosticCodes.BadTrace, "trace file does not exist");
        }

        Trace trace;
        try
        {
            trace = await TraceReader.ReadAsync(Path.GetFullPath(request.TracePath, request.Root), cancellationToken).ConfigureAwait(false);
        }
        catch (TraceFormatException ex)
        {
            throw Error(traceDisplay, ex.Line, DiagnosticCodes.BadTrace, ex.Message);
        }

        var existing = new List<Row>();
        await foreach (var existingRow in reader.ReadRowsAsync(dataset!, diagnostics, cancellationToken).ConfigureAwait(false))
        {
            existing.Add(existingRow);
        }

        if (diagnostics.Items.Any(d => d.Code != DiagnosticCodes.EmptyDataset && d.Severity == DiagnosticSeverity.Error))
        {
            diagnostics.ThrowIfErrors();
        }

        var already = existing.FirstOrDefault(r => r.Source?.TraceId == trace.TraceId);
        if (already is not null)
        {
            throw Error(traceDisplay, 0, DiagnosticCodes.TraceAlreadyPromoted, $"trace {trace.TraceId} was already promoted as row '{already.Id}' ({dataset!.RowsDisplayPath} line {already.Line})");
        }

        Redactor redactor;
        try
        {
            redactor = new Redactor(redactPatterns);
        }
        catch (ArgumentException ex)
        {
            throw Error(request.Config, 0, DiagnosticCodes.SuiteSchema, $"a \"redact\" pattern is not a valid regular expression: {ex.Message}");
        }

        var row = BuildRow(request, trace, redactor, await PromotedByAsync(request).ConfigureAwait(false));
        if (existing.Any(r => r.Id == row.Id))
        {
            throw Error(dataset!.RowsDisplayPath, existing.First(r => r.Id == row.Id).Line, DiagnosticCodes.DuplicateId, $"a row with id '{row.Id}' exists; pass another --id");
        }

        var nearest = Nearest(row, existing);
        if (nearest is { Similarity: >= NearDuplicateThreshold } near && !request.AllowNearDuplicate)
        {
            throw Error(dataset!.RowsDisplayPath, existing.First(r => r.Id == near.Id).Line, DiagnosticCodes.NearDuplicate,
                $"the trace's input is a near-duplicate of row '{near.Id}' (similarity {near.Similarity:0.00} >= {NearDuplicateThreshold:0.00}); pass --allow-near-duplicate to add it anyway");
        }

        var line = JsonSerializer.Serialize(row, FlywheelJson.Info<Row>());
        var check = new DiagnosticBag();
        if (reader.ParseRow(line, dataset!.RowsDisplayPath, 0, check) is null)
        {
            throw new FlywheelInputException(check.Items.Select(d => d with { Message = "the promoted row would be invalid: " + d.Message }).ToList());
        }

        // Compute both new files completely before writing either.
        var rowsBytes = await File.ReadAllBytesAsync(dataset.RowsPath, cancellationToken).ConfigureAwait(false);
        var (newRows, insertedAt) = Insert(rowsBytes, existing, row.Id, line);
        var manifestPath = Path.Combine(dataset.Directory, "dataset.json");
        var manifestText = await File.ReadAllTextAsync(manifestPath, cancellationToken).ConfigureAwait(false);
        var newVersion = BumpMinor(dataset.Manifest.Version);
        var newManifest = VersionProperty().Replace(manifestText, m => m.Groups["head"].Value + newVersion + "\"", 1);

        await Flywheel.Evals.Files.AtomicFile.WriteAllBytesAsync(dataset.RowsPath, newRows, cancellationToken).ConfigureAwait(false);
        await Flywheel.Evals.Files.AtomicFile.WriteAllBytesAsync(manifestPath, new UTF8Encoding(false).GetBytes(newManifest), cancellationToken).ConfigureAwait(false);

        string? branch = null;
        string? sha = null;
        if (request.Commit)
        {
            branch = request.Branch ?? $"flywheel/promote/{row.Id}";
            sha = CommitOnBranch(request.Root, branch, [dataset.RowsPath, manifestPath],
                $"Promote trace {trace.TraceId} to {dataset.Name}/{row.Id}\n\nFailure mode: {request.FailureMode ?? "unspecified"}\nReview status: pending (approve in this pull request)\nDataset version: {dataset.Manifest.Version} -> {newVersion}\n");
        }

        return new PromotionResult
        {
            Id = row.Id,
            RowsPath = dataset.RowsDisplayPath,
            Line = insertedAt,
            OldVersion = dataset.Manifest.Version,
            NewVersion = newVersion,
            Nearest = nearest,
            Branch = branch,
            CommitSha = sha,
        };
    }

    /// <summary>Token-set similarity (Jaccard) of two inputs' user messages after SQuAD normalization.</summary>
    public static double Similarity(IReadOnlyList<RowMessage> left, IReadOnlyList<RowMessage> right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var a = UserTokens(left);
        var b = UserTokens(right);
        if (a.Count == 0 && b.Count == 0)
        {
            return 1;
        }

        var union = a.Union(b).Count();
        return union == 0 ? 0 : (double)a.Intersect(b).Count() / union;
    }

    private static HashSet<string> UserTokens(IReadOnlyList<RowMessage> messages) =>
        messages.Where(m => m.Role == "user").SelectMany(m => AnswerNormalizer.Tokens(m.Content)).ToHashSet(StringComparer.Ordinal);

    private static (string Id, double Similarity)? Nearest(Row row, IReadOnlyList<Row> existing)
    {
        (string, double)? best = null;
        foreach (var other in existing)
        {
            var similarity = Similarity(row.Input, other.Input);
            if (best is null || similarity > best.Value.Item2)
            {
                best = (other.Id, similarity);
            }
        }

        return best;
    }

    private static Row BuildRow(PromotionRequest request, Trace trace, Redactor redactor, string promotedBy)
    {
        var tags = new Dictionary<string, string>(trace.Tags, StringComparer.Ordinal);
        foreach (var (key, value) in request.Tags)
        {
            tags[key] = value;
        }

        var shortId = new string(trace.TraceId.Where(char.IsLetterOrDigit).Take(8).ToArray()).ToLowerInvariant();
        var id = request.Id ?? (tags.TryGetValue("intent", out var intent) ? $"{Slug(intent)}-{shortId}" : $"trace-{shortId}");
        IReadOnlyList<ExpectedToolCall>? calls = null;
        if (request.ExpectNoToolCall)
        {
            calls = [];
        }
        else if (request.ExpectedToolCalls.Count > 0)
        {
            try
            {
                calls = request.ExpectedToolCalls.Select(ExpectedCallParser.Parse).ToList();
            }
            catch (FormatException ex)
            {
                throw Error("--expected-tool-call", 0, DiagnosticCodes.Usage, ex.Message);
            }
        }

        Expectation? expected = request.Expected.Count > 0 || calls is not null
            ? new Expectation { Answers = request.Expected.Count > 0 ? request.Expected.Select(redactor.Redact).ToList() : null, ToolCalls = calls }
            : null;
        return new Row
        {
            Id = id,
            Tags = tags,
            Input = trace.Messages.Select(m => m with { Content = redactor.Redact(m.Content) }).ToList(),
            Context = trace.Context.Count > 0 ? trace.Context.Select(c => c with { Text = redactor.Redact(c.Text) }).ToList() : null,
            Expected = expected,
            Tools = trace.Tools.Count > 0 ? trace.Tools : null,
            Source = new RowSource
            {
                TraceId = trace.TraceId,
                FailureMode = request.FailureMode,
                PromotedBy = promotedBy,
                PromotedAt = request.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            },
            Review = new RowReview { Status = ReviewStatuses.Pending },
        };
    }

    // Inserts one line among the existing ones without touching their bytes; the new line takes the file's line ending.
    private static (byte[] Bytes, int Line) Insert(byte[] original, IReadOnlyList<Row> existing, string id, string json)
    {
        var text = Encoding.UTF8.GetString(original);
        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var next = existing.Where(r => string.CompareOrdinal(r.Id, id) > 0).OrderBy(r => r.Line).FirstOrDefault();
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < original.Length; i++)
        {
            if (original[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }

        var encodedLine = Encoding.UTF8.GetBytes(json + newline);
        if (next is not null)
        {
            var at = lineStarts[next.Line - 1];
            return ([.. original.AsSpan(0, at), .. encodedLine, .. original.AsSpan(at)], next.Line);
        }

        // Append, first closing an unterminated last line so the new row starts on its own line.
        var needsNewline = original.Length > 0 && original[^1] != (byte)'\n';
        var prefix = needsNewline ? [.. original, .. Encoding.UTF8.GetBytes(newline)] : original;
        var line = text.Length == 0 ? 1 : text.Split('\n').Length + (needsNewline ? 1 : 0);
        return ([.. prefix, .. encodedLine], line);
    }

    private static string BumpMinor(string version)
    {
        var match = Regex.Match(version, @"^(\d+)\.(\d+)\.(\d+)", RegexOptions.CultureInvariant);
        if (!match.Success)
        {
            return version;
        }

        var major = match.Groups[1].Value;
        var minor = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) + 1;
        return $"{major}.{minor}.0";
    }

    private static string CommitOnBranch(string root, string branchName, IReadOnlyList<string> files, string message)
    {
        using var repository = GitSnapshot.Open(root);
        var signature = GitIdentity.Signature(repository, DateTimeOffset.Now)
            ?? throw Error("git", 0, DiagnosticCodes.GitProblem, "git has no user.name/user.email configured; set them (git config user.name ...) to commit the promotion");
        var branch = repository.Branches[branchName];
        if (branch is not null)
        {
            throw Error("git", 0, DiagnosticCodes.GitProblem, $"branch '{branchName}' exists; pass --branch with a new name");
        }

        // The new branch starts at HEAD, so checking it out keeps the files just written in the work tree.
        branch = repository.CreateBranch(branchName);
        Commands.Checkout(repository, branch);
        var workTree = repository.Info.WorkingDirectory;
        foreach (var file in files)
        {
            Commands.Stage(repository, GitSnapshot.Relative(workTree, file));
        }

        return repository.Commit(message, signature, signature).Sha;
    }

    private static async Task<(string DatasetPath, IReadOnlyList<string> Redact)> LocateAsync(PromotionRequest request, FlywheelSchemas schemas, CancellationToken cancellationToken)
    {
        var configPath = Path.GetFullPath(request.Config, request.Root);
        if (File.Exists(configPath))
        {
            var suite = await new SuiteLoader(schemas).LoadAsync(configPath, request.Root, cancellationToken).ConfigureAwait(false);
            var match = suite.Datasets.FirstOrDefault(d => Path.GetFileName(d.Path.TrimEnd('/')) == request.Dataset);
            if (match is not null)
            {
                return (match.Path, suite.Redact);
            }

            return ($"datasets/{request.Dataset}", suite.Redact);
        }

        return ($"datasets/{request.Dataset}", []);
    }

    private static async Task<string> PromotedByAsync(PromotionRequest request)
    {
        if (request.PromotedBy is not null)
        {
            return request.PromotedBy;
        }

        await Task.CompletedTask.ConfigureAwait(false);
        try
        {
            using var repository = GitSnapshot.Open(request.Root);
            var name = GitIdentity.UserName(repository);
            if (!string.IsNullOrWhiteSpace(name))
            {
                return name;
            }
        }
        catch (FlywheelInputException)
        {
            // Outside git the OS user names the promoter.
        }

        return Environment.UserName;
    }

    private static string Slug(string text) => Regex.Replace(text.ToLowerInvariant(), "[^a-z0-9]+", "-", RegexOptions.CultureInvariant).Trim('-');

    private static FlywheelInputException Error(string path, int line, string code, string message) => new(new Diagnostic(path, line, line > 0 ? 1 : 0, code, message));

    [GeneratedRegex("(?<head>\"version\"\\s*:\\s*\")[^\"]*\"", RegexOptions.CultureInvariant)]
    private static partial Regex VersionProperty();
}
