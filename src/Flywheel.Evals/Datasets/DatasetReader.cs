using System.Runtime.CompilerServices;
using System.Text.Json;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Files;
using Flywheel.Evals.Schemas;
using Flywheel.Evals.Suites;

namespace Flywheel.Evals.Datasets;

/// <summary>Loads dataset manifests and streams rows, checking each against the schema, ids for duplicates and order.</summary>
public sealed class DatasetReader(FlywheelSchemas schemas)
{
    private readonly ToolListCache _tools = new();

    /// <summary>Loads datasets/&lt;name&gt;/dataset.json; problems go to <paramref name="diagnostics"/> and null is returned.</summary>
    public Task<Dataset?> LoadAsync(string root, string relativePath, DiagnosticBag diagnostics, CancellationToken cancellationToken) =>
        LoadAsync(root, relativePath, null, diagnostics, cancellationToken);

    /// <summary>Loads a dataset the suite names; a folder or file that leads outside the root is reported at the suite line naming it.</summary>
    public Task<Dataset?> LoadAsync(SuiteConfig suite, SuiteDatasetRef reference, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(reference);
        return LoadAsync(suite.Root, reference.Path, (suite.Path, reference.Line, reference.Column), diagnostics, cancellationToken);
    }

    private async Task<Dataset?> LoadAsync(string root, string relativePath, (string Path, int Line, int Column)? namedAt, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var directory = Path.GetFullPath(Path.Combine(root, relativePath));
        var display = relativePath.Replace('\\', '/').TrimEnd('/');
        var manifestPath = Path.Combine(directory, "dataset.json");
        var manifestDisplay = display + "/dataset.json";

        // Before anything is read (or even looked for): whether a folder or file exists outside the root is not the suite's to learn.
        foreach (var (path, what, shown) in new[] { (directory, "dataset folder", display), (manifestPath, "dataset manifest", manifestDisplay), (Path.Combine(directory, "rows.jsonl"), "rows file", display + "/rows.jsonl") })
        {
            if (!ContainedPath.IsInside(root, path))
            {
                var (where, line, column) = namedAt ?? (shown, 0, 0);
                diagnostics.Error(where, line, column, DiagnosticCodes.PathOutsideRoot, ContainedPath.OutsideMessage(what, shown));
                return null;
            }
        }

        if (!Directory.Exists(directory))
        {
            diagnostics.Error(display, 0, 0, DiagnosticCodes.FileNotFound, $"dataset folder '{display}' does not exist");
            return null;
        }

        if (!File.Exists(manifestPath))
        {
            diagnostics.Error(manifestDisplay, 0, 0, DiagnosticCodes.FileNotFound, "dataset.json is missing; every dataset folder needs a manifest");
            return null;
        }

        if (!File.Exists(Path.Combine(directory, "rows.jsonl")))
        {
            diagnostics.Error(display + "/rows.jsonl", 0, 0, DiagnosticCodes.FileNotFound, "rows.jsonl is missing");
            return null;
        }

        var bytes = await File.ReadAllBytesAsync(manifestPath, cancellationToken).ConfigureAwait(false);
        var manifest = ParseManifest(bytes, manifestDisplay, diagnostics);
        if (manifest is null)
        {
            return null;
        }

        var folderName = Path.GetFileName(directory);
        if (!string.Equals(manifest.Name, folderName, StringComparison.Ordinal))
        {
            diagnostics.Error(manifestDisplay, 1, 1, DiagnosticCodes.ManifestSchema, $"name '{manifest.Name}' differs from its folder '{folderName}'; they must match");
            return null;
        }

        return new Dataset(manifest, directory, display);
    }

    /// <summary>Streams the valid rows of a dataset; every invalid line becomes a diagnostic and is not yielded.</summary>
    public IAsyncEnumerable<Row> ReadRowsAsync(Dataset dataset, DiagnosticBag diagnostics, CancellationToken cancellationToken = default) =>
        ReadRowsAsync(dataset, diagnostics, thorough: true, cancellationToken);

    /// <summary>Streams the valid rows of a dataset; <paramref name="thorough"/> false runs NJsonSchema only on rows the fast shape check rejects.</summary>
    public async IAsyncEnumerable<Row> ReadRowsAsync(Dataset dataset, DiagnosticBag diagnostics, bool thorough, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var path = dataset.RowsDisplayPath;
        var ids = new RowIdOrder(path, diagnostics);
        var lines = 0;
        await foreach (var line in ReadLinesAsync(dataset, cancellationToken).ConfigureAwait(false))
        {
            lines++;
            var row = ParseRow(line, path, diagnostics, thorough);
            if (row is not null && ids.Accept(row.Id, line.Number))
            {
                yield return row;
            }
        }

        if (lines == 0)
        {
            diagnostics.Error(path, 1, 1, DiagnosticCodes.EmptyDataset, $"dataset '{dataset.Name}' has no rows");
        }
    }

    /// <summary>Streams the non-blank lines of rows.jsonl as UTF-8 bytes.</summary>
    public static IAsyncEnumerable<JsonLine> ReadLinesAsync(Dataset dataset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return JsonLines.ReadUtf8Async(dataset.RowsPath, cancellationToken);
    }

    /// <summary>As <see cref="ReadLinesAsync"/>, each line in a buffer rented from the shared array pool, for a reader that returns it.</summary>
    internal static IAsyncEnumerable<JsonLine> ReadPooledLinesAsync(Dataset dataset, CancellationToken cancellationToken) =>
        JsonLines.ReadUtf8Async(dataset.RowsPath, pooled: true, cancellationToken);

    /// <summary>Parses and validates one line; null when it is not a valid row (the problems are in <paramref name="diagnostics"/>).</summary>
    /// <param name="text">The line.</param>
    /// <param name="path">rows.jsonl as diagnostics show it.</param>
    /// <param name="lineNumber">The 1-based line.</param>
    /// <param name="diagnostics">Where problems go.</param>
    /// <param name="thorough">True to run NJsonSchema on every row (validate); false to run it only on rows the fast shape check rejects (gate).</param>
    public Row? ParseRow(string text, string path, int lineNumber, DiagnosticBag diagnostics, bool thorough = true) =>
        ParseRow(new JsonLine(lineNumber, System.Text.Encoding.UTF8.GetBytes(text ?? string.Empty)), path, diagnostics, thorough);

    /// <summary>Parses and validates one line read as UTF-8; null when it is not a valid row.</summary>
    /// <param name="line">The line and its number.</param>
    /// <param name="path">rows.jsonl as diagnostics show it.</param>
    /// <param name="diagnostics">Where problems go.</param>
    /// <param name="thorough">True to run NJsonSchema on every row (validate); false to run it only on rows the fast shape check rejects (gate).</param>
    public Row? ParseRow(JsonLine line, string path, DiagnosticBag diagnostics, bool thorough = true) =>
        ParseRow(line, path, diagnostics, thorough, out _);

    /// <summary>Parses and validates one line; also hands out the document the row's JsonElements point into.</summary>
    /// <remarks>
    /// The caller may dispose <paramref name="document"/> once nothing uses the row's JsonElements any more (the gate does
    /// for passing rows, which returns the document's pooled buffers); left undisposed, it is simply collected.
    /// </remarks>
    internal Row? ParseRow(JsonLine line, string path, DiagnosticBag diagnostics, bool thorough, out JsonDocument? document)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var lineNumber = line.Number;
        document = null;
        JsonElement root;
        bool shapeOk;
        IReadOnlyList<ToolDefinition>? knownTools = null;
        try
        {
            // Parsed from the line's own bytes: the row's JsonElements point into this document. Keys and numbers are
            // checked as the shape check walks the row; a row it rejects, and one whose tool list it does not walk and no
            // earlier row had, is checked in full.
            document = StrictJson.ParseText(line.Utf8);
            root = document.RootElement;
            shapeOk = RowShape.IsValid(root);
            if (thorough || !shapeOk || (root.TryGetProperty("tools"u8, out var tools) && !_tools.TryGet(tools, out knownTools)))
            {
                StrictJson.Check(line.Utf8.Span);
            }
        }
        catch (JsonException ex)
        {
            diagnostics.Error(path, lineNumber, (int)(ex.BytePositionInLine ?? 0) + 1, DiagnosticCodes.InvalidJson, $"invalid JSON: {JsonErrors.Describe(ex)}");
            return null;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            diagnostics.Error(path, lineNumber, 1, DiagnosticCodes.RowSchema, "a row must be a JSON object");
            return null;
        }

        var problems = thorough || !shapeOk ? FlywheelSchemas.Validate(schemas.Row, line.Text) : [];
        if (problems.Count == 0 && !shapeOk)
        {
            // The two checks disagree; never let that pass silently.
            problems = [new SchemaProblem(1, 1, "row does not match row.schema.json")];
        }

        if (problems.Count > 0)
        {
            var id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? $"row '{idElement.GetString()}': " : string.Empty;
            foreach (var problem in problems)
            {
                diagnostics.Error(path, lineNumber, Math.Max(problem.Column, 1), DiagnosticCodes.RowSchema, id + problem.Message);
            }

            return null;
        }

        return RowBuilder.Build(root, lineNumber, _tools, knownTools);
    }

    private DatasetManifest? ParseManifest(byte[] bytes, string display, DiagnosticBag diagnostics)
    {
        var utf8 = StrictJson.WithoutBom(bytes);
        if (utf8.Trim(" \t\r\n"u8).IsEmpty)
        {
            diagnostics.Error(display, 1, 1, DiagnosticCodes.InvalidJson, "dataset.json is empty");
            return null;
        }

        try
        {
            StrictJson.Check(utf8, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            diagnostics.Error(display, (int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1, DiagnosticCodes.InvalidJson, $"invalid JSON: {JsonErrors.Describe(ex)}");
            return null;
        }

        var text = System.Text.Encoding.UTF8.GetString(utf8);
        var problems = FlywheelSchemas.Validate(schemas.Manifest, text);
        foreach (var problem in problems)
        {
            diagnostics.Error(display, Math.Max(problem.Line, 1), Math.Max(problem.Column, 1), DiagnosticCodes.ManifestSchema, problem.Message);
        }

        return problems.Count > 0 ? null : JsonSerializer.Deserialize(text, FlywheelJson.Info<DatasetManifest>());
    }
}
