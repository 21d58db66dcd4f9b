using System.Security.Cryptography;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Evaluators;
using Flywheel.Evals.Files;
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
        var utf8 = StrictJson.WithoutBom(bytes);
        var diagnostics = new DiagnosticBag();
        if (utf8.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new FlywheelInputException(new Diagnostic(display, 1, 1, DiagnosticCodes.InvalidJson, "the suite configuration is empty"));
        }

        try
        {
            // The same JSON every other file is held to (and the MSBuild tasks read the suite with): System.Text.Json's,
            // strict, with comments and trailing commas. Newtonsoft, below, would also take single quotes, bare names,
            // NaN, a key twice and text that is not UTF-8.
            StrictJson.Check(utf8, new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new FlywheelInputException(new Diagnostic(display, (int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1, DiagnosticCodes.InvalidJson, $"invalid JSON: {JsonErrors.Describe(ex)}"));
        }

        var text = System.Text.Encoding.UTF8.GetString(utf8);
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
        var suiteRoot = Path.GetFullPath(root);
        var target = ReadTarget((JObject)json["target"]!, suiteRoot, display, diagnostics);
        var judge = json["judge"] is JObject judgeJson ? ReadJudge(judgeJson, display, diagnostics) : null;
        var evaluators = ReadEvaluators((JArray)json["evaluators"]!, display, diagnostics);
        var gates = ReadGates((JArray)json["gates"]!, evaluators, display, diagnostics);
        var redact = json["redact"] is JArray patterns ? patterns.Select(p => p.Value<string>()!).ToList() : [];
        CheckLlmEvaluators(evaluators, json["judge"] is not null, suiteRoot, display, diagnostics);

        diagnostics.ThrowIfErrors();
        return new SuiteConfig
        {
            Path = display,
            FullPath = fullPath,
            Root = suiteRoot,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            Datasets = datasets,
            Target = target,
            Judge = judge,
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

    /// <summary>
    /// Checks that every API key the run will need is set in the environment. The suite names variables, never keys;
    /// a diagnostic names the variable (when it looks like one) and never shows a value.
    /// </summary>
    /// <param name="suite">The loaded suite.</param>
    /// <param name="targetIsLive">False when --responses replaces a chat target, so its key is not needed.</param>
    /// <param name="environment">Reads an environment variable (tests pass their own).</param>
    /// <param name="diagnostics">Where problems go.</param>
    public static void CheckKeys(SuiteConfig suite, bool targetIsLive, Func<string, string?> environment, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (suite.Judge is { } judge && suite.Evaluators.Any(e => e.Method == EvaluatorKinds.Llm))
        {
            CheckKey(suite.Path, "judge", judge.Endpoint, environment, diagnostics);
        }

        if (targetIsLive && suite.Target.Chat is { } chat)
        {
            CheckKey(suite.Path, "chat target", chat, environment, diagnostics);
        }
    }

    private static void CheckKey(string display, string what, ModelEndpointConfig endpoint, Func<string, string?> environment, DiagnosticBag diagnostics)
    {
        if (endpoint.ApiKeyEnv is not { } name || !string.IsNullOrEmpty(environment(name)))
        {
            return;
        }

        // A value that does not look like a variable name may be a pasted key: say so without echoing it.
        var shown = name.Length <= 64 && name.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_')
            ? $"environment variable '{name}'"
            : "the environment variable named by api_key_env (name not shown: it does not look like a variable name — is it a key? put the key in the environment, its name in the suite)";
        diagnostics.Error(display, endpoint.ApiKeyEnvLine, 1, DiagnosticCodes.ApiKeyNotSet,
            $"the {what} needs an API key: {shown} is not set or empty; export it before running (keys are read from the environment only)");
    }

    private static TargetConfig ReadTarget(JObject target, string root, string display, DiagnosticBag diagnostics)
    {
        var kind = target.Value<string>("kind")!;
        var config = new TargetConfig
        {
            Kind = kind,
            Responses = target.Value<string>("responses"),
            SystemPrompt = target.Value<string>("system_prompt"),
            ToolsFromRows = target["tools_from_rows"]?.Value<bool>() ?? true,
            MaxOutputTokens = target["max_output_tokens"]?.Value<int>(),
            Line = Line(target),
        };
        if (target["responses"] is { } responses && !ContainedPath.IsInside(root, Path.Combine(root, config.Responses!)))
        {
            diagnostics.Error(display, Line(responses), Column(responses), DiagnosticCodes.PathOutsideRoot, ContainedPath.OutsideMessage("responses file", config.Responses!));
        }

        if (kind != "chat")
        {
            return config;
        }

        if (target["endpoint"] is null || target["model"] is null)
        {
            diagnostics.Error(display, Line(target), Column(target), DiagnosticCodes.BadEndpoint,
                "target kind 'chat' needs \"endpoint\" (an OpenAI-compatible base URL such as https://api.openai.com/v1) and \"model\"");
            return config;
        }

        if (config.SystemPrompt is { } prompt)
        {
            var promptToken = target["system_prompt"]!;
            if (!ContainedPath.IsInside(root, Path.Combine(root, prompt)))
            {
                diagnostics.Error(display, Line(promptToken), Column(promptToken), DiagnosticCodes.PathOutsideRoot, ContainedPath.OutsideMessage("system prompt", prompt));
            }
            else if (!File.Exists(Path.GetFullPath(Path.Combine(root, prompt))))
            {
                diagnostics.Error(display, Line(promptToken), Column(promptToken), DiagnosticCodes.FileNotFound, $"system prompt '{prompt}' of the chat target does not exist");
            }
        }

        return config with { Chat = ReadEndpoint(target, "chat target", display, diagnostics) };
    }

    private static JudgeConfig? ReadJudge(JObject judge, string display, DiagnosticBag diagnostics)
    {
        var endpoint = ReadEndpoint(judge, "judge", display, diagnostics);
        return endpoint is null ? null : new JudgeConfig
        {
            Endpoint = endpoint,
            ResponseFormat = judge.Value<string>("response_format") ?? JudgeResponseFormats.JsonSchema,
            Repeats = judge["repeats"]?.Value<int>() ?? 1,
        };
    }

    private static ModelEndpointConfig? ReadEndpoint(JObject json, string what, string display, DiagnosticBag diagnostics)
    {
        var endpointToken = json["endpoint"]!;
        var text = endpointToken.Value<string>()!;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            diagnostics.Error(display, Line(endpointToken), Column(endpointToken), DiagnosticCodes.BadEndpoint,
                $"the {what} endpoint must be an absolute http(s) URL such as https://api.openai.com/v1 or http://127.0.0.1:8080/v1");
            return null;
        }

        var keyName = json.Value<string>("api_key_env");
        if (keyName is not null && ApiKeyVariables.IsReserved(keyName))
        {
            // Checked in every mode, before any request: the runner's own variables hold its write token and inputs.
            var token = json["api_key_env"]!;
            diagnostics.Error(display, Line(token), Column(token), DiagnosticCodes.ReservedKeyVariable,
                $"the {what}'s api_key_env '{keyName}' names a variable of the CI runner ({string.Join(", ", ApiKeyVariables.ReservedPrefixes.Select(p => p + "*"))}); those hold the runner's token and the action's inputs and are never sent to a model endpoint: put the key in a variable of its own (e.g. OPENAI_API_KEY) from a secret");
            return null;
        }

        return new ModelEndpointConfig
        {
            Endpoint = endpoint,
            Model = json.Value<string>("model")!,
            ApiKeyEnv = keyName,
            ApiKeyEnvLine = json["api_key_env"] is { } keyToken ? Line(keyToken) : Line(json),
            Timeout = json["timeout_seconds"] is { } timeout ? TimeSpan.FromSeconds(timeout.Value<double>()) : TimeSpan.FromSeconds(60),
            MaxRetries = json["max_retries"]?.Value<int>() ?? 3,
            Temperature = json["temperature"]?.Value<double>(),
            Line = Line(json),
            Column = Column(json),
        };
    }

    private static void CheckLlmEvaluators(IReadOnlyList<EvaluatorConfig> evaluators, bool hasJudge, string root, string display, DiagnosticBag diagnostics)
    {
        foreach (var evaluator in evaluators.Where(e => e.Method == EvaluatorKinds.Llm))
        {
            if (!hasJudge)
            {
                diagnostics.Error(display, evaluator.Line, evaluator.Column, DiagnosticCodes.MissingJudge,
                    $"evaluator '{evaluator.Name}' uses method 'llm' but the suite has no \"judge\"; add \"judge\": {{\"endpoint\": \"https://…/v1\", \"model\": \"…\", \"api_key_env\": \"OPENAI_API_KEY\"}}");
            }

            var prompt = evaluator.Prompt!;
            if (!ContainedPath.IsInside(root, Path.Combine(root, prompt)))
            {
                diagnostics.Error(display, evaluator.Line, evaluator.Column, DiagnosticCodes.PathOutsideRoot,
                    ContainedPath.OutsideMessage($"judge prompt of evaluator '{evaluator.Name}'", prompt));
            }
            else if (!File.Exists(Path.GetFullPath(Path.Combine(root, prompt))))
            {
                diagnostics.Error(display, evaluator.Line, evaluator.Column, DiagnosticCodes.FileNotFound,
                    $"judge prompt '{prompt}' of evaluator '{evaluator.Name}' does not exist (llm evaluators read their instructions from a prompt file; set \"prompt\" or create it)");
            }
        }
    }

    /// <summary>The judge prompt an llm evaluator of a kind reads when the suite names none.</summary>
    public static string DefaultPrompt(string kind) => $"evaluators/prompts/{kind}.md";

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
                Prompt = method == EvaluatorKinds.Llm ? item.Value<string>("prompt") ?? DefaultPrompt(kind) : null,
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
            var maxRowsRemoved = item["max_rows_removed"]?.Value<int>();
            if (minPassRate is null && maxDrop is null && maxRowsRemoved is null)
            {
                diagnostics.Error(display, line, column, DiagnosticCodes.GateWithoutThreshold,
                    $"gate on '{cohort}' has no threshold: set \"min_pass_rate\", \"max_drop\", \"max_rows_removed\" or several");
            }

            gates.Add(new GateConfig
            {
                Cohort = cohort,
                Evaluator = evaluator,
                MinPassRate = minPassRate,
                MaxDrop = maxDrop,
                MinRows = item["min_rows"]?.Value<int>() ?? 1,
                MaxRowsRemoved = maxRowsRemoved,
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
