namespace Flywheel.Action.GitHub;

/// <summary>When the Action's step fails (the <c>fail-on</c> input).</summary>
internal enum FailOn
{
    /// <summary>Exit 1 when the verdict is failed (a blocking gate failed).</summary>
    Gate,

    /// <summary>Exit 1 when a gate failed or any row that passed on the baseline fails now.</summary>
    Regression,

    /// <summary>Exit 0 whatever the verdict; only an error (bad input, undecidable row) exits 2.</summary>
    Never,
}
