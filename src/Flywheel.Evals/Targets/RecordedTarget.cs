using System.Text.Json;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Diagnostics;

namespace Flywheel.Evals.Targets;

/// <summary>Responses recorded by the application's own pipeline: a JSONL file keyed by dataset and row id.</summary>
/// <remarks>
/// The file is joined with the rows as both stream: it is read forward only as far as the next wanted row, and only
/// responses that arrive out of order are held. A file in row order therefore costs memory for one line.
/// </remarks>
public sealed class RecordedTarget : ITarget
{
    private readonly string _display;
    private readonly string? _singleDataset;
    private readonly IAsyncEnumerator<JsonLine> _lines;
    private readonly Dictionary<(string Dataset, string Id), (Response Response, int Line)> _pending = [];
    private readonly HashSet<(string Dataset, string Id)> _consumed = [];
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly DiagnosticBag _diagnostics;
    private bool _exhausted;

    /// <summary>Opens a responses file.</summary>
    /// <param name="path">The full path of the responses JSONL.</param>
    /// <param name="display">The path as diagnostics show it.</param>
    /// <param name="singleDataset">The suite's only dataset, which responses may leave out; null when there are several.</param>
    /// <param name="diagnostics">Where malformed lines are reported.</param>
    public RecordedTarget(string path, string display, string? singleDataset, DiagnosticBag diagnostics)
    {
        _display = display;
        _singleDataset = singleDataset;
        _diagnostics = diagnostics;
        _lines = JsonLines.ReadUtf8Async(path).GetAsyncEnumerator();
    }

    /// <inheritdoc />
    public string Description => _display;

    /// <inheritdoc />
    public async ValueTask<Response?> GetResponseAsync(Dataset dataset, Row row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(row);
        var key = (dataset.Name, row.Id);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_pending.Remove(key, out var held))
            {
                _consumed.Add(key);
                return held.Response;
            }

            while (await NextAsync(cancellationToken).ConfigureAwait(false) is { } next)
            {
                if (next.Key == key)
                {
                    _consumed.Add(key);
                    return next.Response;
                }

                _pending[next.Key] = (next.Response, next.Line);
            }

            return null;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask CompleteAsync(DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        while (await NextAsync(cancellationToken).ConfigureAwait(false) is { } next)
        {
            _pending[next.Key] = (next.Response, next.Line);
        }

        foreach (var ((dataset, id), (_, line)) in _pending.OrderBy(p => p.Value.Line))
        {
            diagnostics.Error(_display, line, 1, DiagnosticCodes.ResponseForUnknownRow, $"response for unknown row '{id}' of dataset '{dataset}'");
        }

        _pending.Clear();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _lines.DisposeAsync().ConfigureAwait(false);
        _lock.Dispose();
    }

    private async ValueTask<((string, string) Key, Response Response, int Line)?> NextAsync(CancellationToken cancellationToken)
    {
        while (!_exhausted)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!await _lines.MoveNextAsync().ConfigureAwait(false))
            {
                _exhausted = true;
                break;
            }

            var (number, utf8) = _lines.Current;
            var response = Parse(utf8, number);
            if (response is null)
            {
                continue;
            }

            var dataset = response.Dataset ?? _singleDataset;
            if (dataset is null)
            {
                _diagnostics.Error(_display, number, 1, DiagnosticCodes.ResponseAmbiguousDataset, $"response '{response.Id}' has no \"dataset\" and the suite has several datasets");
                continue;
            }

            var key = (dataset, response.Id);
            if (_consumed.Contains(key) || _pending.ContainsKey(key))
            {
                _diagnostics.Error(_display, number, 1, DiagnosticCodes.DuplicateResponse, $"second response for row '{response.Id}' of dataset '{dataset}'");
                continue;
            }

            return (key, response, number);
        }

        return null;
    }

    private Response? Parse(ReadOnlyMemory<byte> utf8, int number)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                _diagnostics.Error(_display, number, 1, DiagnosticCodes.ResponseSchema, "a response must be a JSON object");
                return null;
            }

            if (!document.RootElement.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || id.GetString()!.Length == 0)
            {
                _diagnostics.Error(_display, number, 1, DiagnosticCodes.ResponseSchema, "required property 'id' (the row id, a string) is missing");
                return null;
            }

            if (document.RootElement.TryGetProperty("output", out var output) && output.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                _diagnostics.Error(_display, number, 1, DiagnosticCodes.ResponseSchema, $"response '{id.GetString()}': 'output' must be a string");
                return null;
            }

            return document.RootElement.Deserialize<Response>(FlywheelJson.Options);
        }
        catch (JsonException ex)
        {
            _diagnostics.Error(_display, number, (int)(ex.BytePositionInLine ?? 0) + 1, ex.Path is null ? DiagnosticCodes.InvalidJson : DiagnosticCodes.ResponseSchema,
                $"{(ex.Path is null ? "invalid JSON" : "response does not match the response format")}: {JsonErrors.Describe(ex)}");
            return null;
        }
    }
}
