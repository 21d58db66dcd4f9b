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
    private readonly HashSet<(string Dataset, string Id)> _invalidRows = [];
    private readonly HashSet<string> _datasetsWithUnreadableRows = new(StringComparer.Ordinal);
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
    public async ValueTask SkipAsync(Dataset dataset, string? id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (id is null)
            {
                _datasetsWithUnreadableRows.Add(dataset.Name);
                return;
            }

            var key = (dataset.Name, id);
            _invalidRows.Add(key);
            if (_pending.Remove(key))
            {
                _consumed.Add(key);
            }
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
            var maybe = _datasetsWithUnreadableRows.Contains(dataset) ? $" (or for one of the invalid rows of dataset '{dataset}' whose id cannot be read: fix those first)" : string.Empty;
            diagnostics.Error(_display, line, 1, DiagnosticCodes.ResponseForUnknownRow, $"response for unknown row '{id}' of dataset '{dataset}'{maybe}");
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

            if (_invalidRows.Contains(key))
            {
                // Its row is invalid, which is reported there; no row will ask for it.
                _consumed.Add(key);
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
            // Not disposed: a response read by the fast path keeps JsonElements (tool call arguments) into this document.
            var document = StrictJson.Parse(utf8);
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

            return FastResponse(document.RootElement) ?? document.RootElement.Deserialize(FlywheelJson.Info<Response>());
        }
        catch (JsonException ex)
        {
            _diagnostics.Error(_display, number, (int)(ex.BytePositionInLine ?? 0) + 1, ex.Path is null ? DiagnosticCodes.InvalidJson : DiagnosticCodes.ResponseSchema,
                $"{(ex.Path is null ? "invalid JSON" : "response does not match the response format")}: {JsonErrors.Describe(ex)}");
            return null;
        }
    }

    /// <summary>
    /// Reads a response of the usual shape straight from its document, which is what deserializing it would give;
    /// null (so the serializer decides, and words any error) for anything else: a property twice, a value of another
    /// type, a null where none may be, a tool call with other properties.
    /// </summary>
    /// <remarks>The serializer copies every tool call's arguments into a document of their own; here they stay put.</remarks>
    internal static Response? FastResponse(JsonElement root)
    {
        string? dataset = null, id = null, output = null, model = null;
        double? latency = null;
        long? inputTokens = null, outputTokens = null;
        List<ResponseToolCall>? toolCalls = null;
        var seen = 0;
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            int bit;
            if (property.NameEquals("dataset"u8))
            {
                bit = 1;
                if (!TryString(value, out dataset))
                {
                    return null;
                }
            }
            else if (property.NameEquals("id"u8))
            {
                bit = 2;
                if (value.ValueKind != JsonValueKind.String)
                {
                    return null;
                }

                id = value.GetString();
            }
            else if (property.NameEquals("output"u8))
            {
                bit = 4;
                if (!TryString(value, out output))
                {
                    return null;
                }
            }
            else if (property.NameEquals("tool_calls"u8))
            {
                bit = 8;
                if (value.ValueKind == JsonValueKind.Null)
                {
                    toolCalls = null;
                }
                else if (value.ValueKind != JsonValueKind.Array || !TryToolCalls(value, out toolCalls))
                {
                    return null;
                }
            }
            else if (property.NameEquals("model"u8))
            {
                bit = 16;
                if (!TryString(value, out model))
                {
                    return null;
                }
            }
            else if (property.NameEquals("latency_ms"u8))
            {
                bit = 32;
                if (value.ValueKind == JsonValueKind.Null)
                {
                    latency = null;
                }
                else if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var ms) && double.IsFinite(ms))
                {
                    latency = ms;
                }
                else
                {
                    return null;
                }
            }
            else if (property.NameEquals("input_tokens"u8) || property.NameEquals("output_tokens"u8))
            {
                bit = property.NameEquals("input_tokens"u8) ? 64 : 128;
                long? tokens = null;
                if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count))
                {
                    tokens = count;
                }
                else if (value.ValueKind != JsonValueKind.Null)
                {
                    return null;
                }

                if (bit == 64)
                {
                    inputTokens = tokens;
                }
                else
                {
                    outputTokens = tokens;
                }
            }
            else
            {
                // A property the response format does not have is ignored, as the serializer ignores it (both match
                // names exactly, after unescaping).
                continue;
            }

            if ((seen & bit) != 0)
            {
                return null;
            }

            seen |= bit;
        }

        if (id is null)
        {
            return null;
        }

        return new Response
        {
            Dataset = dataset,
            Id = id,
            Output = output,
            ToolCalls = toolCalls,
            Model = model,
            LatencyMs = latency,
            InputTokens = inputTokens,
            OutputTokens = outputTokens,
        };
    }

    private static bool TryString(JsonElement value, out string? text)
    {
        text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return value.ValueKind is JsonValueKind.String or JsonValueKind.Null;
    }

    private static bool TryToolCalls(JsonElement array, out List<ResponseToolCall>? calls)
    {
        calls = new List<ResponseToolCall>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            string? name = null;
            JsonElement? arguments = null;
            foreach (var property in item.EnumerateObject())
            {
                if (property.NameEquals("name"u8) && name is null && property.Value.ValueKind == JsonValueKind.String)
                {
                    name = property.Value.GetString();
                }
                else if (property.NameEquals("arguments"u8) && arguments is null && property.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
                {
                    arguments = property.Value;
                }
                else
                {
                    return false;
                }
            }

            if (name is null)
            {
                return false;
            }

            calls.Add(new ResponseToolCall { Name = name, Arguments = arguments });
        }

        return true;
    }
}
