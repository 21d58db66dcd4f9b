using System.Security.Cryptography;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Evaluators;
using Flywheel.Evals.Gates;
using Flywheel.Evals.Schemas;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Flywheel.Evals.Suites;

/// <summary>Reads evaluators/flywheel.json: schema, then what a schema cannot say (kinds, methods, thresholds, gate references).</summary>
public sealed class SuiteLoader(FlywheelSchemas schemas)
{
    /// <summary>Loads and checks a suite; every problem is collected and thrown together.</summary>
    /// <exception cref="FlywheelInputException">The suite is missing or wrong.</exception>
    public async Task<SuiteConfig> LoadAsync(string suitePath, string root, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(suitePath, root);
        var display = DisplayPath(fullPath, root);
        if (!File.Exists(fullPath))
        {
            throw new FlywheelInputException(new Diagnostic(display, 0, 0, DiagnosticCodes.FileNotFound, $"suite configuration '{display}' does not exist (use --config or --root)"));
        }

        var bytes = await File.ReadAllBytesAsync(fullPath, cancellationToken).ConfigureAwait(false);
        var text = System.Text.Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF');
        var diagnostics = new DiagnosticBag();
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new FlywheelInputException(new Diagnostic(display, 1, 1, DiagnosticCodes.InvalidJson, "the suite configuration is empty"));
        }

        JObject json;
        try
        {
            json = JObject.Parse(text, new JsonLoadSettings { LineInfoHandling = LineInfoHandling.Load, CommentHandling = CommentHandling.Ignore });
        }
        catch (JsonReaderException ex)
        {
            throw new FlywheelInputException(new Diagnostic(display, Math.Max(ex.LineNumber, 1), Math.Max(ex.LinePosition, 1), DiagnosticCodes.InvalidJson, $"invalid JSON: {FirstSentence(ex.Message)}"));
        }

        foreach (var problem in FlywheelSchemas.Validate(schemas.Suite, text))
        {
            diagnostics.Error(display, Math.Max(problem.Line, 1), Math.Max(problem.Column, 1), DiagnosticCodes.SuiteSchema, problem.Message);
        }

        diagnostics.ThrowIfErrors();

        var datasets = ((JArray)json["datasets"]!).Select(t => new SuiteDatasetRef(t.Value<string>()!, Line(t), Column(t))).ToList();
        var target = ReadTarget((JObject)json["target"]!);
        var evaluators = ReadEvaluators((JArray)json["evaluators"]!, display, diagnostics);
        var gates = ReadGates((JArray)json["gates"]!, evaluators, display, diagnostics);
        var redact = json["redact"] is JArray patterns ? patterns.Select(p => p.Value<string>()!).ToList() : [];

        if (target.Kind == "chat")
        {
            diagnostics.Error(display, target.Line, 1, DiagnosticCodes.BadTarget, "target kind 'chat' (live model calls) is not available in this build; record responses and use kind 'recorded'");
        }

        diagnostics.ThrowIfErrors();
        return new SuiteConfig
        {
            Path = display,
            FullPath = fullPath,
            Root = Path.GetFullPath(root),
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            Datasets = datasets,
            Target = target,
            Evaluators = evaluators,
            Gates = gates,
            Redact = redact,
        };
    }

    /// <summary>A path as diagnostics show it: relative to the root when inside it, with forward slashes.</summary>
    public static string DisplayPath(string fullPath, string root)
    {
        var relative = Path.GetRelativePath(Path.GetFullPath(root), fullPath);
        return (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? fullPath : relative).Replace('\\', '/');
    }

    private static TargetConfig ReadTarget(JObject target) => new()
    {
        Kind = target.Value<string>("kind")!,
        Responses = target.Value<string>("responses"),
        Line = Line(target),
    };

    private static List<EvaluatorConfig> ReadEvaluators(JArray array, string display, DiagnosticBag diagnostics)
    {
        var evaluators = new List<EvaluatorConfig>();
        foreach (var item in array.OfType<JObject>())
        {
            var name = item.Value<string>("name")!;
            var kind = item.Value<string>("kind")!;
            var line = Line(item);
            var column = Column(item);
            if (evaluators.Any(e => e.Name == name))
            {
                diagnostics.Error(display, Line(item["name"]!), Column(item["name"]!), DiagnosticCodes.DuplicateEvaluator, $"evaluator name '{name}' is used twice");
            }

            if (!EvaluatorKinds.All.Contains(kind))
            {
                diagnostics.Error(display, Line(item["kind"]!), Column(item["kind"]!), DiagnosticCodes.UnknownEvaluatorKind,
                    $"unknown evaluator kind '{kind}' (evaluator '{name}'); known kinds: {string.Join(", ", EvaluatorKinds.All)}");
                continue;
            }

            var methods = EvaluatorKinds.MethodsOf(kind);
            var method = item.Value<string>("method") ?? DefaultMethod(kind);
            if (!methods.Contains(method))
            {
                diagnostics.Error(display, Line(item["method"]!), Column(item["method"]!), DiagnosticCodes.UnknownMethod,
                    $"evaluator '{name}': kind '{kind}' has no method '{method}'; methods: {string.Join(", ", methods)}");
                continue;
            }

            var threshold = item["threshold"]?.Value<double>();
            if (threshold is null && NeedsThreshold(kind, method))
            {
                diagnostics.Error(display, line, column, DiagnosticCodes.MissingThreshold,
                    $"evaluator '{name}' ({kind}, {method}) needs a \"threshold\" in [0,1]: the score at or above which a row passes");
            }

            evaluators.Add(new EvaluatorConfig
            {
                Name = name,
                Kind = kind,
                Method = method,
                Threshold = threshold,
                Tolerance = item["tolerance"]?.Value<double>(),
                MinSupport = item["min_support"]?.Value<double>(),
                Line = line,
                Column = column,
            });
        }

        return evaluators;
    }

    private static List<GateConfig> ReadGates(JArray array, IReadOnlyList<EvaluatorConfig> evaluators, string display, DiagnosticBag diagnostics)
    {
        var gates = new List<GateConfig>();
        var index = 0;
        foreach (var item in array.OfType<JObject>())
        {
            var cohort = item.Value<string>("cohort")!;
            var evaluator = item.Value<string>("evaluator") ?? "*";
            var line = Line(item);
            var column = Column(item);
            if (!CohortSelector.TryParse(cohort, out _, out var selectorError))
            {
                diagnostics.Error(display, Line(item["cohort"]!), Column(item["cohort"]!), DiagnosticCodes.BadCohortSelector, selectorError);
            }

            if (evaluator != "*" && !evaluators.Any(e => e.Name == evaluator))
            {
                diagnostics.Error(display, Line(item["evaluator"]!), Column(item["evaluator"]!), DiagnosticCodes.GateUnknownEvaluator,
                    $"gate on '{cohort}' names evaluator '{evaluator}', which the suite does not define; evaluators: {string.Join(", ", evaluators.Select(e => e.Name))}");
            }

            var minPassRate = item["min_pass_rate"]?.Value<double>();
            var maxDrop = item["max_drop"]?.Value<double>();
            if (minPassRate is null && maxDrop is null)
            {
                diagnostics.Error(display, line, column, DiagnosticCodes.GateWithoutThreshold,
                    $"gate on '{cohort}' has no threshold: set \"min_pass_rate\", \"max_drop\" or both");
            }

            gates.Add(new GateConfig
            {
                Cohort = cohort,
                Evaluator = evaluator,
                MinPassRate = minPassRate,
                MaxDrop = maxDrop,
                MinRows = item["min_rows"]?.Value<int>() ?? 1,
                WarnOnInsufficient = item.Value<string>("on_insufficient") == "warn",
                Index = index++,
                Line = line,
                Column = column,
            });
        }

        return gates;
    }

    private static string DefaultMethod(string kind) => kind switch
    {
        EvaluatorKinds.GroundTruthMatch => "exact",
        EvaluatorKinds.Groundedness => "lexical",
        _ => "rules",
    };

    private static bool NeedsThreshold(string kind, string method) =>
        (kind == EvaluatorKinds.GroundTruthMatch && method == "token-f1") || kind == EvaluatorKinds.Groundedness;

    private static int Line(JToken token) => token is IJsonLineInfo info && info.HasLineInfo() ? info.LineNumber : 1;

    private static int Column(JToken token) => token is IJsonLineInfo info && info.HasLineInfo() ? Math.Max(info.LinePosition, 1) : 1;

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path '", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
