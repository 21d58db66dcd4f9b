using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Suites;
using Flywheel.Evals.Targets;

namespace Flywheel.Evals.Evaluators;

/// <summary>Did the agent call the right functions with acceptable arguments? BFCL's AST rules plus the row's call order.</summary>
/// <remarks>
/// Score = matched expected calls / max(expected, actual); passed only on an exact match. Parallel calls match in any order
/// (a maximum bipartite matching) unless the row says <c>tool_order: strict</c>.
/// </remarks>
public sealed class ToolSelectionEvaluator : IEvaluator
{
    /// <summary>Creates the evaluator from its suite settings.</summary>
    public ToolSelectionEvaluator(EvaluatorConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Name = config.Name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Kind => EvaluatorKinds.ToolSelection;

    /// <inheritdoc />
    public bool AppliesTo(Row row) => row.Expected?.ToolCalls is not null;

    /// <inheritdoc />
    public IEnumerable<string> CheckRow(Row row)
    {
        // Runs for every row before scoring: checked eagerly, and a row without problems costs no list.
        ArgumentNullException.ThrowIfNull(row);
        var tools = row.Tools;
        if (tools is null || tools.Count == 0)
        {
            return [];
        }

        List<string>? problems = null;
        var schemas = new ToolSchemas(tools);
        var calls = row.Expected?.ToolCalls ?? [];
        for (var i = 0; i < calls.Count; i++)
        {
            var call = calls[i];
            if (!HasTool(tools, call.Name))
            {
                (problems ??= []).Add($"expected.tool_calls names '{call.Name}', which is not among the row's tools ({string.Join(", ", tools.Select(t => t.Name))})");
                continue;
            }

            // Either mistake makes the expected call impossible to satisfy: the row could never pass.
            var arguments = call.Arguments ?? EmptyRules;
            foreach (var required in schemas.Required(call.Name))
            {
                if (!arguments.ContainsKey(required))
                {
                    (problems ??= []).Add($"expected.tool_calls[{i}] ({call.Name}) lists no value for its required argument '{required}'");
                }
            }

            foreach (var (name, values) in arguments)
            {
                if (schemas.IsUndeclared(call.Name, name) && !AnyOmitMarker(values))
                {
                    (problems ??= []).Add($"expected.tool_calls[{i}] ({call.Name}) expects argument '{name}', which the tool's schema does not declare");
                }
            }
        }

        return problems ?? (IEnumerable<string>)[];
    }

    private static bool HasTool(IReadOnlyList<ToolDefinition> tools, string name)
    {
        foreach (var tool in tools)
        {
            if (tool.Name == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public ValueTask<Score> EvaluateAsync(EvaluationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(Evaluate(context.Row, context.Response, accepted: null));
    }

    /// <summary>
    /// The argument values the rules reject but a judge could accept: free-text (string) values of string parameters, in calls
    /// whose only problems are such values, so accepting them would make the call match.
    /// </summary>
    internal IReadOnlyList<ValueQuestion> OpenQuestions(Row row, Response response)
    {
        var expected = row.Expected?.ToolCalls ?? [];
        var actual = response.ToolCalls ?? [];
        var schemas = new ToolSchemas(row.Tools);
        var questions = new List<ValueQuestion>();
        var seen = new HashSet<AcceptedValue>();
        foreach (var call in expected)
        {
            foreach (var made in actual.Where(a => a.Name == call.Name))
            {
                var parsed = ParseArguments(made);
                if (parsed.Error is not null || CallMismatch(call, made, parsed, schemas, null) is null)
                {
                    continue;
                }

                var candidates = new List<ValueQuestion>();
                foreach (var (name, acceptable) in call.Arguments ?? new Dictionary<string, IReadOnlyList<JsonElement>>())
                {
                    var schema = schemas.Parameter(call.Name, name);
                    if (parsed.Values.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String &&
                        ArgumentValues.IsStringOrUntyped(schema) && !acceptable.Any(a => ArgumentValues.Matches(value, a, schema)))
                    {
                        candidates.Add(new ValueQuestion(call.Name, name, value, acceptable.Where(a => !IsOmitMarker(a)).ToList(), schema,
                            row.Tools?.FirstOrDefault(t => t.Name == call.Name)?.Description));
                    }
                }

                var all = candidates.Select(c => c.Key).ToHashSet();
                if (candidates.Count == 0 || CallMismatch(call, made, parsed, schemas, all) is not null)
                {
                    continue;
                }

                questions.AddRange(candidates.Where(c => seen.Add(c.Key)));
            }
        }

        return questions;
    }

    /// <summary>Scores with the rules, treating <paramref name="accepted"/> values (a judge's findings) as acceptable.</summary>
    internal Score Evaluate(Row row, Response response, IReadOnlySet<AcceptedValue>? accepted)
    {
        var expected = row.Expected!.ToolCalls!;
        var actual = response.ToolCalls ?? [];
        var strict = string.Equals(row.Expected.ToolOrder, "strict", StringComparison.Ordinal);
        var schemas = new ToolSchemas(row.Tools);

        if (expected.Count == 0 && actual.Count == 0)
        {
            return Score.Decided(Name, 1, true, "no tool call expected and none made");
        }

        if (expected.Count == 0)
        {
            return Score.Decided(Name, 0, false, $"expected no tool call, got {string.Join(", ", actual.Select(Display))}", Details(0, 0, actual.Count));
        }

        var parsed = actual.Select(ParseArguments).ToList();
        if (expected.Count == actual.Count)
        {
            // The common case, every call right, is decided on match/no-match alone; the words for each mismatch are
            // only worked out below, when the row fails and they must be explained.
            var fits = new bool[expected.Count, actual.Count];
            for (var i = 0; i < expected.Count; i++)
            {
                for (var j = 0; j < actual.Count; j++)
                {
                    fits[i, j] = CallMatches(expected[i], actual[j], parsed[j], schemas);
                }
            }

            var quick = strict ? StrictMatching(expected.Count, actual.Count, (i, j) => fits[i, j]) : MaximumMatching(expected.Count, actual.Count, (i, j) => fits[i, j]);
            if (Array.TrueForAll(quick, m => m >= 0))
            {
                var made = string.Join(", ", actual.Select((call, j) => Display(call, parsed[j])));
                return Score.Decided(Name, 1, true, $"all {expected.Count} expected call(s) made: {made}", Details(expected.Count, expected.Count, actual.Count));
            }
        }

        var problems = new string?[expected.Count, actual.Count];
        for (var i = 0; i < expected.Count; i++)
        {
            for (var j = 0; j < actual.Count; j++)
            {
                problems[i, j] = CallMismatch(expected[i], actual[j], parsed[j], schemas, accepted);
            }
        }

        var match = strict ? StrictMatching(expected.Count, actual.Count, (i, j) => problems[i, j] is null) : MaximumMatching(expected.Count, actual.Count, (i, j) => problems[i, j] is null);
        var matched = match.Count(m => m >= 0);
        var score = (double)matched / Math.Max(expected.Count, actual.Count);
        var passed = matched == expected.Count && matched == actual.Count;
        if (passed)
        {
            return Score.Decided(Name, 1, true, $"all {expected.Count} expected call(s) made: {string.Join(", ", actual.Select(Display))}", Details(matched, expected.Count, actual.Count));
        }

        var reason = Explain(expected, actual, problems, match, strict);
        return Score.Decided(Name, score, false, reason, Details(matched, expected.Count, actual.Count));
    }

    private static Dictionary<string, object?> Details(int matched, int expected, int actual) =>
        new() { ["matched"] = matched, ["expected"] = expected, ["actual"] = actual };

    private static string Explain(IReadOnlyList<ExpectedToolCall> expected, IReadOnlyList<ResponseToolCall> actual, string?[,] problems, int[] match, bool strict)
    {
        var usedActual = new bool[actual.Count];
        foreach (var j in match.Where(j => j >= 0))
        {
            usedActual[j] = true;
        }

        var notes = new List<string>();
        if (expected.Count == 1 && actual.Count == 1 && expected[0].Name != actual[0].Name)
        {
            return $"wrong tool: {actual[0].Name} instead of {expected[0].Name}; expected {Display(expected[0])}, got {Display(actual[0])}";
        }

        if (actual.Count == 0)
        {
            return $"expected {string.Join(", ", expected.Select(Display))}, got no tool call";
        }

        for (var i = 0; i < expected.Count; i++)
        {
            if (match[i] >= 0)
            {
                continue;
            }

            // Point at the closest attempt: an unused call to the same function, whose argument problems say what to fix.
            var candidate = Enumerable.Range(0, actual.Count).FirstOrDefault(j => !usedActual[j] && actual[j].Name == expected[i].Name, -1);
            if (candidate < 0 && strict)
            {
                candidate = Enumerable.Range(0, actual.Count).FirstOrDefault(j => actual[j].Name == expected[i].Name, -1);
            }

            if (candidate >= 0)
            {
                var problem = problems[i, candidate] ?? (strict ? "call out of order" : "matched elsewhere");
                notes.Add(strict && problems[i, candidate] is null
                    ? $"{Display(expected[i])} made out of order (tool_order is strict: expected {string.Join(" then ", expected.Select(e => e.Name))}, got {string.Join(" then ", actual.Select(a => a.Name))})"
                    : $"{Display(actual[candidate])}: {problem}");
                usedActual[candidate] = true;
            }
            else
            {
                notes.Add($"missing call {Display(expected[i])}");
            }
        }

        for (var j = 0; j < actual.Count; j++)
        {
            if (!usedActual[j])
            {
                notes.Add($"unexpected call {Display(actual[j])}");
            }
        }

        return string.Join("; ", notes.Distinct());
    }

    private static int[] StrictMatching(int expected, int actual, Func<int, int, bool> fits)
    {
        var match = Enumerable.Repeat(-1, expected).ToArray();
        for (var i = 0; i < Math.Min(expected, actual); i++)
        {
            if (fits(i, i))
            {
                match[i] = i;
            }
        }

        return match;
    }

    // Kuhn's augmenting paths: calls per row are few, so the simple algorithm is the clear one.
    private static int[] MaximumMatching(int expected, int actual, Func<int, int, bool> fits)
    {
        var ofActual = Enumerable.Repeat(-1, actual).ToArray();
        for (var i = 0; i < expected; i++)
        {
            TryAugment(i, new bool[actual], ofActual, fits);
        }

        var match = Enumerable.Repeat(-1, expected).ToArray();
        for (var j = 0; j < actual; j++)
        {
            if (ofActual[j] >= 0)
            {
                match[ofActual[j]] = j;
            }
        }

        return match;
    }

    private static bool TryAugment(int i, bool[] seen, int[] ofActual, Func<int, int, bool> fits)
    {
        for (var j = 0; j < ofActual.Length; j++)
        {
            if (!fits(i, j) || seen[j])
            {
                continue;
            }

            seen[j] = true;
            if (ofActual[j] < 0 || TryAugment(ofActual[j], seen, ofActual, fits))
            {
                ofActual[j] = i;
                return true;
            }
        }

        return false;
    }

    // Exactly CallMismatch(...) is null, without building the words. It makes the same calls in the same order (no early
    // exit once the names agree), so a malformed schema that makes CallMismatch throw makes this throw too.
    private static bool CallMatches(ExpectedToolCall expected, ResponseToolCall actual, ParsedArguments arguments, ToolSchemas schemas)
    {
        if (!string.Equals(expected.Name, actual.Name, StringComparison.Ordinal) || arguments.Error is not null)
        {
            return false;
        }

        var ok = true;
        var rules = expected.Arguments ?? EmptyRules;
        foreach (var name in arguments.Values.Keys)
        {
            if (!rules.ContainsKey(name) || schemas.IsUndeclared(expected.Name, name))
            {
                ok = false;
            }
        }

        foreach (var required in schemas.Required(expected.Name))
        {
            if (!rules.ContainsKey(required) && !arguments.Values.ContainsKey(required))
            {
                ok = false;
            }
        }

        foreach (var (name, acceptable) in rules)
        {
            var schema = schemas.Parameter(expected.Name, name);
            if (!arguments.Values.TryGetValue(name, out var value))
            {
                if (schemas.IsRequired(expected.Name, name) || !AnyOmitMarker(acceptable))
                {
                    ok = false;
                }

                continue;
            }

            var any = false;
            foreach (var candidate in acceptable)
            {
                if (ArgumentValues.Matches(value, candidate, schema))
                {
                    any = true;
                    break;
                }
            }

            ok &= any;
        }

        return ok;
    }

    private static bool AnyOmitMarker(IReadOnlyList<JsonElement> values)
    {
        foreach (var value in values)
        {
            if (IsOmitMarker(value))
            {
                return true;
            }
        }

        return false;
    }

    private static string? CallMismatch(ExpectedToolCall expected, ResponseToolCall actual, ParsedArguments arguments, ToolSchemas schemas, IReadOnlySet<AcceptedValue>? accepted)
    {
        if (!string.Equals(expected.Name, actual.Name, StringComparison.Ordinal))
        {
            return $"expected {expected.Name}, got {actual.Name}";
        }

        if (arguments.Error is not null)
        {
            return arguments.Error;
        }

        var problems = new List<string>();
        var rules = expected.Arguments ?? EmptyRules;
        foreach (var name in arguments.Values.Keys)
        {
            if (!rules.ContainsKey(name))
            {
                problems.Add($"unexpected argument '{name}'");
            }
            else if (schemas.IsUndeclared(expected.Name, name))
            {
                // BFCL: no parameter outside the function's schema, even one the expected call lists as optional.
                problems.Add($"unexpected argument '{name}' (not a parameter of {expected.Name})");
            }
        }

        foreach (var required in schemas.Required(expected.Name))
        {
            // A required parameter the expected call does not list still has to be passed (and then fails as unexpected).
            if (!rules.ContainsKey(required) && !arguments.Values.ContainsKey(required))
            {
                problems.Add($"missing required argument '{required}'");
            }
        }

        foreach (var (name, acceptable) in rules)
        {
            var schema = schemas.Parameter(expected.Name, name);
            if (!arguments.Values.TryGetValue(name, out var value))
            {
                if (schemas.IsRequired(expected.Name, name))
                {
                    problems.Add($"missing required argument '{name}'");
                }
                else if (!acceptable.Any(IsOmitMarker))
                {
                    problems.Add($"missing argument '{name}' (expected {DisplayValues(acceptable)})");
                }

                continue;
            }

            if (!acceptable.Any(a => ArgumentValues.Matches(value, a, schema)) && accepted?.Contains(new AcceptedValue(expected.Name, name, value.GetRawText())) != true)
            {
                problems.Add($"argument '{name}': {ArgumentValues.Display(value)} is not one of {DisplayValues(acceptable)}");
            }
        }

        return problems.Count == 0 ? null : string.Join(", ", problems);
    }

    private static bool IsOmitMarker(JsonElement value) => value.ValueKind == JsonValueKind.String && value.GetString()!.Length == 0;

    private static string DisplayValues(IReadOnlyList<JsonElement> values)
    {
        var shown = values.Where(v => !IsOmitMarker(v)).Select(ArgumentValues.Display).ToList();
        var optional = values.Any(IsOmitMarker) ? " (or omitted)" : string.Empty;
        return $"[{string.Join(", ", shown)}]{optional}";
    }

    private static ParsedArguments ParseArguments(ResponseToolCall call)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (call.Arguments is not { } raw || raw.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return new ParsedArguments(values, null);
        }

        var element = raw;
        if (raw.ValueKind == JsonValueKind.String)
        {
            // OpenAI returns arguments as a JSON string; recorded responses may keep that form.
            var text = raw.GetString()!;
            if (string.IsNullOrWhiteSpace(text))
            {
                return new ParsedArguments(values, null);
            }

            try
            {
                using var document = JsonDocument.Parse(text);
                element = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return new ParsedArguments(values, $"arguments are not valid JSON: {GroundTruthMatchEvaluator.Trim(text, 80)}");
            }
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return new ParsedArguments(values, "arguments are not a JSON object");
        }

        foreach (var property in element.EnumerateObject())
        {
            values[property.Name] = property.Value;
        }

        return new ParsedArguments(values, null);
    }

    /// <summary>Shows an expected call with its first acceptable value per argument.</summary>
    internal static string Display(ExpectedToolCall call)
    {
        var builder = new StringBuilder(call.Name).Append('(');
        var first = true;
        foreach (var (name, values) in call.Arguments ?? new Dictionary<string, IReadOnlyList<JsonElement>>())
        {
            var shown = values.FirstOrDefault(v => !IsOmitMarker(v));
            if (shown.ValueKind == JsonValueKind.Undefined)
            {
                continue;
            }

            builder.Append(first ? string.Empty : ", ").Append(name).Append('=').Append(ArgumentValues.Display(shown));
            first = false;
        }

        return builder.Append(')').ToString();
    }

    /// <summary>Shows a call as the agent made it.</summary>
    internal static string Display(ResponseToolCall call) => Display(call, ParseArguments(call));

    private static string Display(ResponseToolCall call, ParsedArguments parsed)
    {
        var arguments = parsed.Error is null
            ? string.Join(", ", parsed.Values.Select(kv => $"{kv.Key}={ArgumentValues.Display(kv.Value)}"))
            : "…";
        return $"{call.Name}({arguments})";
    }

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<JsonElement>> EmptyRules = FrozenDictionary<string, IReadOnlyList<JsonElement>>.Empty;

    private sealed record ParsedArguments(Dictionary<string, JsonElement> Values, string? Error);
}
