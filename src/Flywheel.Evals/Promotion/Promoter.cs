using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Files;
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

    /// <summary>The lock file, in the dataset's folder, that serializes promotions into that dataset.</summary>
    public const string LockFileName = ".flywheel-promote.lock";

    /// <summary>Promotes a trace.</summary>
    /// <remarks>
    /// A transaction: the trace, the dataset, the new row and (with --commit) the repository are all checked, and every
    /// new file's bytes computed, before the first byte is written; a refusal writes nothing. Promotions into one dataset
    /// (and, with --commit, into one repository) take turns on a lock file.
    /// </remarks>
    /// <exception cref="FlywheelInputException">The trace, the dataset, the repository or the request is wrong, or another promotion held the lock too long; nothing was written.</exception>
    public static async Task<PromotionResult> PromoteAsync(PromotionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var schemas = await FlywheelSchemas.LoadAsync(cancellationToken).ConfigureAwait(false);
        var (datasetPath, redactPatterns) = await LocateAsync(request, schemas, cancellationToken).ConfigureAwait(false);
        var reader = new DatasetReader(schemas);
        var dataset = await LoadAsync(reader, request.Root, datasetPath, cancellationToken).ConfigureAwait(false);
        var trace = await ReadTraceAsync(request, cancellationToken).ConfigureAwait(false);
        var redactor = Redactor(request, redactPatterns);
        var promotedBy = await PromotedByAsync(request).ConfigureAwait(false);
        Row row;
        try
        {
            row = BuildRow(request, trace, redactor, promotedBy);
        }
        catch (RegexMatchTimeoutException)
        {
            throw Error(TraceDisplay(request), 0, DiagnosticCodes.BadTrace, "redacting the trace took too long (a \"redact\" pattern of the suite ran over its time limit on it); simplify the pattern");
        }

        var line = JsonSerializer.Serialize(row, FlywheelJson.Info<Row>());
        var check = new DiagnosticBag();
        if (reader.ParseRow(line, dataset.RowsDisplayPath, 0, check) is null)
        {
            throw new FlywheelInputException(check.Items.Select(d => d with { Message = "the promoted row would be invalid: " + d.Message }).ToList());
        }

        using var repository = request.Commit ? PromotionRepository.Open(request.Root) : null;
        var branch = request.Commit ? request.Branch ?? DefaultBranch(row.Id) : null;
        using var datasetLock = await LockAsync(request, Path.Combine(dataset.Directory, LockFileName), $"another promotion into {dataset.DisplayPath}", cancellationToken).ConfigureAwait(false);
        using var repositoryLock = repository is null ? null : await LockAsync(request, repository.LockPath, "another promote --commit in this repository", cancellationToken).ConfigureAwait(false);
        var when = request.Time.GetLocalNow();
        repository?.CheckCanCommit(branch!, when);

        // Read again under the lock: a promotion that held it meanwhile may have added a row and bumped the version.
        dataset = await LoadAsync(reader, request.Root, datasetPath, cancellationToken).ConfigureAwait(false);
        var existing = await ReadRowsAsync(reader, dataset, cancellationToken).ConfigureAwait(false);
        var already = existing.FirstOrDefault(r => r.Source?.TraceId == trace.TraceId);
        if (already is not null)
        {
            throw Error(TraceDisplay(request), 0, DiagnosticCodes.TraceAlreadyPromoted, $"trace {trace.TraceId} was already promoted as row '{already.Id}' ({dataset.RowsDisplayPath} line {already.Line})");
        }

        if (existing.FirstOrDefault(r => r.Id == row.Id) is { } sameId)
        {
            throw Error(dataset.RowsDisplayPath, sameId.Line, DiagnosticCodes.DuplicateId, $"a row with id '{row.Id}' exists; pass another --id");
        }

        var nearest = Nearest(row, existing);
        if (nearest is { Similarity: >= NearDuplicateThreshold } near && !request.AllowNearDuplicate)
        {
            throw Error(dataset.RowsDisplayPath, existing.First(r => r.Id == near.Id).Line, DiagnosticCodes.NearDuplicate,
                $"the trace's input is a near-duplicate of row '{near.Id}' (similarity {near.Similarity:0.00} >= {NearDuplicateThreshold:0.00}); pass --allow-near-duplicate to add it anyway");
        }

        // Compute every new file completely before writing any.
        var manifestPath = Path.Combine(dataset.Directory, "dataset.json");
        var rowsBefore = await ReadWritableAsync(dataset.RowsPath, cancellationToken).ConfigureAwait(false);
        var manifestBefore = await ReadWritableAsync(manifestPath, cancellationToken).ConfigureAwait(false);
        var (rowsAfter, insertedAt) = RowsFile.Parse(rowsBefore).Insert(row.Id, line);
        var oldVersion = ManifestVersion.Find(manifestBefore)?.Value ?? dataset.Manifest.Version;
        var newVersion = ManifestVersion.BumpMinor(oldVersion);
        var manifestAfter = ManifestVersion.Replace(manifestBefore, newVersion) ?? manifestBefore;

        string? sha = null;
        IReadOnlyList<string> kept = [];
        if (repository is null)
        {
            await AtomicFile.WriteAllBytesAsync([(dataset.RowsPath, rowsAfter), (manifestPath, manifestAfter)], cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var rowsTracked = repository.Read(dataset.RowsPath, dataset.RowsDisplayPath);
            var manifestTracked = repository.Read(manifestPath, dataset.ManifestDisplayPath);
            var files = new[]
            {
                new PromotedFile(rowsTracked, rowsBefore, rowsAfter, InsertAt(rowsTracked.Head, "HEAD", rowsTracked, row, trace, line),
                    rowsTracked.Index is null ? null : InsertAt(rowsTracked.Index, "the index", rowsTracked, row, trace, line)),
                new PromotedFile(manifestTracked, manifestBefore, manifestAfter, BumpAt(manifestTracked.Head, "HEAD", manifestTracked, oldVersion, newVersion),
                    manifestTracked.Index is null ? null : BumpAt(manifestTracked.Index, "the index", manifestTracked, oldVersion, newVersion)),
            };
            sha = await repository.CommitAsync(files, branch!,
                $"Promote trace {trace.TraceId} to {dataset.Name}/{row.Id}\n\nFailure mode: {request.FailureMode ?? "unspecified"}\nReview status: pending (approve in this pull request)\nDataset version: {oldVersion} -> {newVersion}\n",
                when, cancellationToken).ConfigureAwait(false);
            kept = files.Where(f => f.Tracked.Edited).Select(f => f.Tracked.Display).ToList();
        }

        return new PromotionResult
        {
            Id = row.Id,
            RowsPath = dataset.RowsDisplayPath,
            Line = insertedAt,
            OldVersion = oldVersion,
            NewVersion = newVersion,
            Nearest = nearest,
            Branch = sha is null ? null : branch,
            CommitSha = sha,
            KeptUncommitted = kept,
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

    // The row inserted into HEAD's (or the index's) rows.jsonl, which may differ from the work tree's by uncommitted edits.
    private static byte[] InsertAt(byte[] content, string where, TrackedFile file, Row row, Trace trace, string line)
    {
        var rows = RowsFile.Parse(content);
        if (!rows.IsOrdered)
        {
            throw new FlywheelInputException(new Diagnostic(file.Display, 0, 0, DiagnosticCodes.UncommittedEditsInTheWay,
                $"the file at {where} has rows out of id order, duplicate ids or lines without an id, so the row has no place there that keeps your uncommitted edits apart; commit or stash your edits to it, then promote again"));
        }

        if (rows.FindTrace(trace.TraceId) is { } promoted)
        {
            throw Error(file.Display, promoted.Number, DiagnosticCodes.TraceAlreadyPromoted,
                $"trace {trace.TraceId} was already promoted as row '{promoted.Id}' at {where}; your uncommitted edits removed it from the work tree");
        }

        if (rows.Find(row.Id) is { } same)
        {
            throw Error(file.Display, same.Number, DiagnosticCodes.DuplicateId, $"a row with id '{row.Id}' exists at {where} (your uncommitted edits removed it from the work tree); pass another --id");
        }

        return rows.Insert(row.Id, line).Bytes;
    }

    // HEAD's (or the index's) dataset.json with the version bumped; refused when the user's uncommitted edits changed the version.
    private static byte[] BumpAt(byte[] content, string where, TrackedFile file, string oldVersion, string newVersion)
    {
        var found = ManifestVersion.Find(content);
        if (found?.Value != oldVersion)
        {
            throw new FlywheelInputException(new Diagnostic(file.Display, 0, 0, DiagnosticCodes.UncommittedEditsInTheWay,
                $"the version is '{oldVersion}' in the work tree but '{found?.Value ?? "(none)"}' at {where}: an uncommitted edit changed it, and the promotion's bump cannot be kept apart from that edit; commit or revert it, then promote again"));
        }

        return ManifestVersion.Replace(content, newVersion)!;
    }

    // The file's bytes, after checking it can be replaced: a read-only or immutable file refuses here, before anything is written.
    private static async Task<byte[]> ReadWritableAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            using (File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
            {
            }

            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw AtomicFile.CannotWrite(path, ex);
        }
    }

    private static async Task<LockFile> LockAsync(PromotionRequest request, string path, string holder, CancellationToken cancellationToken)
    {
        try
        {
            return await LockFile.AcquireAsync(path, request.LockTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (LockFileHeldException ex)
        {
            throw Error(SuiteLoader.DisplayPath(ex.Path, request.Root), 0, DiagnosticCodes.PromotionLocked,
                $"{holder} is running ({ex.Holder ?? "its holder is unknown"}) and held this lock for the whole {request.LockTimeout.TotalSeconds:0.#} s wait; nothing was written. Promote again when it has finished, or delete this file if no flywheel promote is running");
        }
    }

    private static async Task<Dataset> LoadAsync(DatasetReader reader, string root, string datasetPath, CancellationToken cancellationToken)
    {
        var diagnostics = new DiagnosticBag();
        var dataset = await reader.LoadAsync(root, datasetPath, diagnostics, cancellationToken).ConfigureAwait(false);
        diagnostics.ThrowIfErrors();
        return dataset!;
    }

    private static async Task<List<Row>> ReadRowsAsync(DatasetReader reader, Dataset dataset, CancellationToken cancellationToken)
    {
        var diagnostics = new DiagnosticBag();
        var rows = new List<Row>();
        await foreach (var row in reader.ReadRowsAsync(dataset, diagnostics, cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        // An empty dataset is where the first promoted row goes.
        if (diagnostics.Items.Any(d => d.Code != DiagnosticCodes.EmptyDataset && d.Severity == DiagnosticSeverity.Error))
        {
            diagnostics.ThrowIfErrors();
        }

        return rows;
    }

    private static async Task<Trace> ReadTraceAsync(PromotionRequest request, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(request.TracePath, request.Root);
        if (!File.Exists(path))
        {
            throw Error(TraceDisplay(request), 0, DiagnosticCodes.BadTrace, "trace file does not exist");
        }

        try
        {
            return await TraceReader.ReadAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (TraceFormatException ex)
        {
            throw Error(TraceDisplay(request), ex.Line, DiagnosticCodes.BadTrace, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Error(TraceDisplay(request), 0, DiagnosticCodes.BadTrace, $"the trace file cannot be read: {(ex is UnauthorizedAccessException ? "permission denied" : ex.Message)}");
        }
    }

    private static string TraceDisplay(PromotionRequest request) => SuiteLoader.DisplayPath(Path.GetFullPath(request.TracePath, request.Root), request.Root);

    private static Redactor Redactor(PromotionRequest request, IReadOnlyList<string> patterns)
    {
        try
        {
            return new Redactor(patterns);
        }
        catch (ArgumentException ex)
        {
            throw Error(request.Config, 0, DiagnosticCodes.SuiteSchema, $"a \"redact\" pattern is not a valid regular expression: {ex.Message}");
        }
    }

    // flywheel/promote/<id>, with the characters a row id may hold but a git branch name may not (':', '..', a '.lock' end) replaced.
    private static string DefaultBranch(string id)
    {
        var name = id.Replace(':', '-');
        while (name.Contains("..", StringComparison.Ordinal))
        {
            name = name.Replace("..", ".", StringComparison.Ordinal);
        }

        name = name.TrimEnd('.');
        return "flywheel/promote/" + (name.EndsWith(".lock", StringComparison.Ordinal) ? name[..^".lock".Length] + "-lock" : name);
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
            // Outside git (or in a repository git cannot open) the OS user names the promoter.
        }
        catch (LibGit2SharpException)
        {
            // A config git cannot read: the OS user names the promoter.
        }

        return Environment.UserName;
    }

    private static string Slug(string text) => Regex.Replace(text.ToLowerInvariant(), "[^a-z0-9]+", "-", RegexOptions.CultureInvariant).Trim('-');

    private static FlywheelInputException Error(string path, int line, string code, string message) => new(new Diagnostic(path, line, line > 0 ? 1 : 0, code, message));

}
