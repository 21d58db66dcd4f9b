using System.Text.Json;

namespace Flywheel.Evals.Judges;

/// <summary>
/// The majority over repeated answers. Passed needs more than half of all repeats; so does failed. A tie without errors fails
/// (never a silent pass) and is unstable; errors that leave no majority make the vote an error.
/// </summary>
public sealed record JudgeVote
{
    /// <summary>True, false, or null when no decision could be made (see <see cref="Error"/>).</summary>
    public bool? Passed { get; init; }

    /// <summary>True when valid answers disagreed.</summary>
    public bool Unstable { get; init; }

    /// <summary>One vote per repeat: pass, fail or error.</summary>
    public required IReadOnlyList<string> Votes { get; init; }

    /// <summary>Why there is no decision.</summary>
    public string? Error { get; init; }

    /// <summary>Indexes of the answers that voted with the outcome (for the reason and the score).</summary>
    public required IReadOnlyList<int> Majority { get; init; }

    /// <summary>"votes 2 pass / 1 fail" when the question was asked more than once; empty otherwise.</summary>
    public string Summary
    {
        get
        {
            if (Votes.Count <= 1)
            {
                return string.Empty;
            }

            var errors = Votes.Count(v => v == "error");
            var text = $"votes {Votes.Count(v => v == "pass")} pass / {Votes.Count(v => v == "fail")} fail{(errors > 0 ? $" / {errors} error" : string.Empty)}";
            return Unstable ? text + " (unstable)" : text;
        }
    }

    /// <summary>Counts the answers.</summary>
    /// <param name="answers">One answer per repeat.</param>
    /// <param name="passes">Whether a valid answer passes.</param>
    public static JudgeVote Of(IReadOnlyList<JudgeAnswer> answers, Func<JsonElement, bool> passes)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(passes);
        var votes = answers.Select(a => a.Value is { } v ? (passes(v) ? "pass" : "fail") : "error").ToList();
        var pass = votes.Count(v => v == "pass");
        var fail = votes.Count(v => v == "fail");
        var n = votes.Count;
        var unstable = pass > 0 && fail > 0;
        IReadOnlyList<int> Indexes(string vote) => votes.Select((v, i) => (v, i)).Where(x => x.v == vote).Select(x => x.i).ToList();

        if (pass + fail == 0)
        {
            return new JudgeVote { Votes = votes, Error = answers.First(a => a.Error is not null).Error, Majority = [] };
        }

        if (pass * 2 > n)
        {
            return new JudgeVote { Passed = true, Unstable = unstable, Votes = votes, Majority = Indexes("pass") };
        }

        if (fail * 2 > n)
        {
            return new JudgeVote { Passed = false, Unstable = unstable, Votes = votes, Majority = Indexes("fail") };
        }

        if (pass + fail < n)
        {
            var error = answers.First(a => a.Error is not null).Error;
            return new JudgeVote { Votes = votes, Unstable = unstable, Error = $"no majority ({pass} pass, {fail} fail, {n - pass - fail} error: {error})", Majority = [] };
        }

        return new JudgeVote { Passed = false, Unstable = true, Votes = votes, Majority = Indexes("fail") };
    }
}
