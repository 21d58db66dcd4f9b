using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Flywheel.Evals.Suites;

/// <summary>
/// The suite a run gates with when the gates come from a trusted revision (a pull request's base): what decides the
/// verdict and where keys go is that revision's; what is being tested is the suite's own. Built by <see cref="Merge"/>.
/// </summary>
/// <remarks>
/// From the trusted revision: the gates (cohorts, thresholds, min_rows, max_drop, max_rows_removed), the evaluators
/// (kinds, methods, thresholds, judge prompts), the judge (endpoint, model, key variable, settings), and the chat target's
/// endpoint and key variable. From the suite being run: the datasets (so its rows), the recorded responses, the chat
/// target's model and system prompt. A chat target the trusted revision does not have is called without a key.
/// </remarks>
public sealed record TrustedSuite
{
    /// <summary>The suite to run: the trusted settings over the suite being run.</summary>
    public required SuiteConfig Suite { get; init; }

    /// <summary>Where the trusted settings come from, as reports name it (<c>main@1a2b3c4d5e6f</c>).</summary>
    public required string Source { get; init; }

    /// <summary>Every trusted setting the suite being run changes; they take effect once it is merged.</summary>
    public required IReadOnlyList<GateChange> Changes { get; init; }

    /// <summary>Takes the trusted settings from <paramref name="trusted"/> and the rest from <paramref name="head"/>, and lists where they differ.</summary>
    /// <param name="trusted">The suite at the trusted revision (its llm evaluators carry their prompt text).</param>
    /// <param name="head">The suite being run (its llm evaluators carry their prompt text when it could be read, to compare).</param>
    /// <param name="source">How reports name the trusted revision.</param>
    public static TrustedSuite Merge(SuiteConfig trusted, SuiteConfig head, string source)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        ArgumentNullException.ThrowIfNull(head);
        var changes = new List<GateChange>();
        CompareGates(trusted.Gates, head.Gates, changes);
        CompareEvaluators(trusted.Evaluators, head.Evaluators, changes);
        CompareJudge(trusted.Judge, head.Judge, changes);
        CompareTarget(trusted.Target.Chat, head.Target.Chat, changes);

        // Lines point into the file being run, where annotations land: a trusted gate keeps the line of the same gate there, else none.
        var gates = trusted.Gates.Select(g => g with
        {
            Line = head.Gates.FirstOrDefault(h => SameGate(h, g))?.Line ?? 0,
            Column = head.Gates.FirstOrDefault(h => SameGate(h, g))?.Column ?? 0,
        }).ToList();
        var evaluators = trusted.Evaluators.Select(e => e with
        {
            Line = head.Evaluators.FirstOrDefault(h => h.Name == e.Name)?.Line ?? 0,
            Column = head.Evaluators.FirstOrDefault(h => h.Name == e.Name)?.Column ?? 0,
        }).ToList();
        var judge = trusted.Judge is { } j
            ? j with { Endpoint = j.Endpoint with { Line = 0, Column = 0, ApiKeyEnvLine = head.Judge?.Endpoint.ApiKeyEnv == j.Endpoint.ApiKeyEnv ? head.Judge!.Endpoint.ApiKeyEnvLine : 0 } }
            : null;
        var target = head.Target;
        if (head.Target.Chat is { } chat)
        {
            target = target with
            {
                Chat = trusted.Target.Chat is { } t
                    ? chat with { Endpoint = t.Endpoint, ApiKeyEnv = t.ApiKeyEnv, Timeout = t.Timeout, MaxRetries = t.MaxRetries }
                    : chat with { ApiKeyEnv = null },
            };
        }

        return new TrustedSuite
        {
            Suite = head with { Gates = gates, Evaluators = evaluators, Judge = judge, Target = target },
            Source = source,
            Changes = changes,
        };
    }

    private static bool SameGate(GateConfig a, GateConfig b) => a with { Index = 0, Line = 0, Column = 0 } == b with { Index = 0, Line = 0, Column = 0 };

    private static void CompareGates(IReadOnlyList<GateConfig> trusted, IReadOnlyList<GateConfig> head, List<GateChange> changes)
    {
        // Gates are matched by cohort and evaluator, the n-th such gate with the n-th: a threshold edit reads as one change, not a removal and an addition.
        var unmatched = head.ToList();
        for (var i = 0; i < trusted.Count; i++)
        {
            var gate = trusted[i];
            var occurrence = trusted.Take(i).Count(g => g.Cohort == gate.Cohort && g.Evaluator == gate.Evaluator);
            var subject = $"gate {gate.Cohort}{(gate.Evaluator == "*" ? string.Empty : $" [{gate.Evaluator}]")}{(occurrence > 0 ? $" (#{occurrence + 1})" : string.Empty)}";
            var match = head.Where(g => g.Cohort == gate.Cohort && g.Evaluator == gate.Evaluator).Skip(occurrence).FirstOrDefault();
            if (match is null)
            {
                changes.Add(new GateChange { Subject = subject, Setting = "gate", Base = Describe(gate), Head = null });
                continue;
            }

            unmatched.Remove(match);
            Add(changes, subject, "min_pass_rate", Number(gate.MinPassRate), Number(match.MinPassRate));
            Add(changes, subject, "min_rows", Number(gate.MinRows), Number(match.MinRows));
            Add(changes, subject, "max_drop", Number(gate.MaxDrop), Number(match.MaxDrop));
            Add(changes, subject, "max_rows_removed", Number(gate.MaxRowsRemoved), Number(match.MaxRowsRemoved));
            Add(changes, subject, "on_insufficient", gate.WarnOnInsufficient ? "warn" : "fail", match.WarnOnInsufficient ? "warn" : "fail");
        }

        foreach (var gate in unmatched)
        {
            changes.Add(new GateChange { Subject = $"gate {gate.Cohort}{(gate.Evaluator == "*" ? string.Empty : $" [{gate.Evaluator}]")}", Setting = "gate", Base = null, Head = Describe(gate) });
        }
    }

    private static void CompareEvaluators(IReadOnlyList<EvaluatorConfig> trusted, IReadOnlyList<EvaluatorConfig> head, List<GateChange> changes)
    {
        foreach (var evaluator in trusted)
        {
            var subject = $"evaluator {evaluator.Name}";
            if (head.FirstOrDefault(e => e.Name == evaluator.Name) is not { } match)
            {
                changes.Add(new GateChange { Subject = subject, Setting = "evaluator", Base = Describe(evaluator), Head = null });
                continue;
            }

            Add(changes, subject, "kind", evaluator.Kind, match.Kind);
            Add(changes, subject, "method", evaluator.Method, match.Method);
            Add(changes, subject, "threshold", Number(evaluator.Threshold), Number(match.Threshold));
            Add(changes, subject, "tolerance", Number(evaluator.Tolerance), Number(match.Tolerance));
            Add(changes, subject, "min_support", Number(evaluator.MinSupport), Number(match.MinSupport));
            Add(changes, subject, "prompt", evaluator.Prompt, match.Prompt);
            Add(changes, subject, "prompt text", Fingerprint(evaluator.PromptText), Fingerprint(match.PromptText));
        }

        foreach (var evaluator in head.Where(h => trusted.All(t => t.Name != h.Name)))
        {
            changes.Add(new GateChange { Subject = $"evaluator {evaluator.Name}", Setting = "evaluator", Base = null, Head = Describe(evaluator) });
        }
    }

    private static void CompareJudge(JudgeConfig? trusted, JudgeConfig? head, List<GateChange> changes)
    {
        if (trusted is null || head is null)
        {
            if (trusted is not null || head is not null)
            {
                changes.Add(new GateChange { Subject = "judge", Setting = "judge", Base = Describe(trusted), Head = Describe(head) });
            }

            return;
        }

        CompareEndpoint("judge", trusted.Endpoint, head.Endpoint, changes);
        Add(changes, "judge", "model", trusted.Endpoint.Model, head.Endpoint.Model);
        Add(changes, "judge", "temperature", Number(trusted.Endpoint.Temperature), Number(head.Endpoint.Temperature));
        Add(changes, "judge", "response_format", trusted.ResponseFormat, head.ResponseFormat);
        Add(changes, "judge", "repeats", Number(trusted.Repeats), Number(head.Repeats));
    }

    private static void CompareTarget(ModelEndpointConfig? trusted, ModelEndpointConfig? head, List<GateChange> changes)
    {
        if (head is null)
        {
            // A recorded target calls nothing: which endpoint the trusted revision would call does not matter here.
            return;
        }

        if (trusted is null)
        {
            changes.Add(new GateChange { Subject = "chat target", Setting = "endpoint", Base = null, Head = $"{head.DisplayEndpoint} (called without a key until merged)" });
            Add(changes, "chat target", "api_key_env", null, head.ApiKeyEnv);
            return;
        }

        CompareEndpoint("chat target", trusted, head, changes);
    }

    private static void CompareEndpoint(string subject, ModelEndpointConfig trusted, ModelEndpointConfig head, List<GateChange> changes)
    {
        Add(changes, subject, "endpoint", trusted.DisplayEndpoint, head.DisplayEndpoint);
        Add(changes, subject, "api_key_env", trusted.ApiKeyEnv, head.ApiKeyEnv);
        Add(changes, subject, "timeout_seconds", Number(trusted.Timeout.TotalSeconds), Number(head.Timeout.TotalSeconds));
        Add(changes, subject, "max_retries", Number(trusted.MaxRetries), Number(head.MaxRetries));
    }

    private static void Add(List<GateChange> changes, string subject, string setting, string? trusted, string? head)
    {
        if (!string.Equals(trusted, head, StringComparison.Ordinal))
        {
            changes.Add(new GateChange { Subject = subject, Setting = setting, Base = trusted, Head = head });
        }
    }

    private static string Describe(GateConfig gate)
    {
        var parts = new List<string>();
        if (gate.MinPassRate is { } min)
        {
            parts.Add($"min_pass_rate {Number(min)}");
        }

        if (gate.MaxDrop is { } drop)
        {
            parts.Add($"max_drop {Number(drop)}");
        }

        if (gate.MaxRowsRemoved is { } removed)
        {
            parts.Add($"max_rows_removed {Number(removed)}");
        }

        parts.Add($"min_rows {Number(gate.MinRows)}");
        if (gate.WarnOnInsufficient)
        {
            parts.Add("on_insufficient warn");
        }

        return string.Join(", ", parts);
    }

    private static string Describe(EvaluatorConfig evaluator) =>
        $"{evaluator.Kind}, {evaluator.Method}{(evaluator.Threshold is { } t ? $", threshold {Number(t)}" : string.Empty)}";

    private static string? Describe(JudgeConfig? judge) => judge is null ? null : $"{judge.Endpoint.Model} at {judge.Endpoint.DisplayEndpoint}";

    private static string? Number(double? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    /// <summary>A prompt's text is shown by its hash and length: it can be long, and its diff is in the pull request.</summary>
    private static string? Fingerprint(string? text) => text is null
        ? null
        : $"sha256 {Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12]} ({text.Length.ToString(CultureInfo.InvariantCulture)} chars)";
}
