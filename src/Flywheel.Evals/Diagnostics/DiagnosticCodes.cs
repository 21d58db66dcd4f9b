namespace Flywheel.Evals.Diagnostics;

/// <summary>The stable diagnostic codes; documented in the README so users can search for them.</summary>
public static class DiagnosticCodes
{
    /// <summary>A file or folder named by the configuration does not exist.</summary>
    public const string FileNotFound = "FW1000";
    /// <summary>A line or file is not valid JSON, or not strict JSON (not UTF-8, half a surrogate pair, a key twice, a number beyond a double).</summary>
    public const string InvalidJson = "FW1001";
    /// <summary>A row violates row.schema.json.</summary>
    public const string RowSchema = "FW1002";
    /// <summary>Two rows of one dataset share an id.</summary>
    public const string DuplicateId = "FW1003";
    /// <summary>A row's id sorts before the previous row's id.</summary>
    public const string RowOutOfOrder = "FW1004";
    /// <summary>A dataset has no rows.</summary>
    public const string EmptyDataset = "FW1005";
    /// <summary>A dataset manifest violates dataset.schema.json or disagrees with its folder.</summary>
    public const string ManifestSchema = "FW1010";
    /// <summary>Two datasets of one suite share a name.</summary>
    public const string DuplicateDataset = "FW1011";
    /// <summary>Rows changed between two revisions but the dataset version was not bumped.</summary>
    public const string VersionNotBumped = "FW1012";
    /// <summary>A row's content contradicts itself (e.g. an expected call to a tool the row does not offer).</summary>
    public const string RowInconsistent = "FW1020";
    /// <summary>The suite configuration violates suite.schema.json.</summary>
    public const string SuiteSchema = "FW2001";
    /// <summary>An evaluator kind that Flywheel does not know.</summary>
    public const string UnknownEvaluatorKind = "FW2002";
    /// <summary>An evaluator method that its kind does not have, or a method that needs a setting it lacks.</summary>
    public const string UnknownMethod = "FW2003";
    /// <summary>A gate names an evaluator the suite does not define.</summary>
    public const string GateUnknownEvaluator = "FW2004";
    /// <summary>A gate names a tag key no dataset has.</summary>
    public const string GateUnknownTag = "FW2005";
    /// <summary>Two evaluators share a name.</summary>
    public const string DuplicateEvaluator = "FW2006";
    /// <summary>A gate has no threshold (neither min_pass_rate nor max_drop).</summary>
    public const string GateWithoutThreshold = "FW2007";
    /// <summary>An evaluator needs a threshold and has none.</summary>
    public const string MissingThreshold = "FW2008";
    /// <summary>A cohort selector is not of the form *, key=value or key=*.</summary>
    public const string BadCohortSelector = "FW2009";
    /// <summary>The target is not usable (no responses file, unknown kind).</summary>
    public const string BadTarget = "FW2010";
    /// <summary>An evaluator with method llm in a suite without a "judge".</summary>
    public const string MissingJudge = "FW2011";
    /// <summary>The environment variable named by api_key_env is not set (the key itself is never in the suite).</summary>
    public const string ApiKeyNotSet = "FW2012";
    /// <summary>A judge or chat endpoint that is not an absolute http(s) URL, or a chat target without endpoint or model.</summary>
    public const string BadEndpoint = "FW2013";
    /// <summary>An api_key_env that names a variable of the CI runner (GITHUB_*, INPUT_*, ACTIONS_*, RUNNER_*): its token would go to a model endpoint.</summary>
    public const string ReservedKeyVariable = "FW2014";
    /// <summary>A response names a row that no dataset has.</summary>
    public const string ResponseForUnknownRow = "FW3001";
    /// <summary>A row has no response.</summary>
    public const string MissingResponse = "FW3002";
    /// <summary>A response line violates the response format.</summary>
    public const string ResponseSchema = "FW3003";
    /// <summary>Two responses for the same row.</summary>
    public const string DuplicateResponse = "FW3004";
    /// <summary>A response leaves out its dataset where the suite has several.</summary>
    public const string ResponseAmbiguousDataset = "FW3005";
    /// <summary>A run file (baseline, <c>report</c>'s run) that cannot be read or contradicts itself (a verdict its gates do not give).</summary>
    public const string BadBaseline = "FW4001";
    /// <summary>A git revision that this clone does not have (shallow clone, unfetched branch).</summary>
    public const string RefNotFound = "FW4002";
    /// <summary>A git operation that needs a repository outside one, or a file missing at a revision.</summary>
    public const string GitProblem = "FW4003";
    /// <summary>A <c>--history</c> folder that is missing or empty, or holds a file that is not a readable run.</summary>
    public const string BadHistory = "FW4004";
    /// <summary>A trace file that cannot become a row (not JSON, no GenAI spans, no user message).</summary>
    public const string BadTrace = "FW6001";
    /// <summary>A trace that a row of the dataset already came from.</summary>
    public const string TraceAlreadyPromoted = "FW6002";
    /// <summary>A trace whose input nearly equals an existing row's.</summary>
    public const string NearDuplicate = "FW6003";
    /// <summary>Another promotion into the same dataset (or, with --commit, the same repository) held the lock for the whole wait.</summary>
    public const string PromotionLocked = "FW6004";
    /// <summary>With --commit, uncommitted edits to the promoted files that cannot be kept apart from the promotion's change.</summary>
    public const string UncommittedEditsInTheWay = "FW6005";
    /// <summary>An evaluator could not decide on a row.</summary>
    public const string EvaluatorError = "FW5001";
    /// <summary>MSBuild: a gate failed (its cohort's pass rate is below the minimum or fell more than the allowed drop).</summary>
    public const string GateFailed = "FW7001";
    /// <summary>MSBuild: a gate's cohort has fewer rows than the gate needs (a warning when the gate or the build says warn).</summary>
    public const string GateInsufficient = "FW7002";
    /// <summary>MSBuild (warning): a row that passed on the baseline fails now.</summary>
    public const string RowRegressed = "FW7003";
    /// <summary>MSBuild: this MSBuild cannot load the .NET 10 tasks (emitted by Flywheel.Build.Tasks.targets).</summary>
    public const string UnsupportedMSBuild = "FW7004";
    /// <summary>MSBuild: the build was cancelled while a Flywheel task ran; no verdict.</summary>
    public const string Cancelled = "FW7005";
    /// <summary>MSBuild: FlywheelGate in a project that declares no FlywheelSuite item (emitted by Flywheel.Build.Tasks.targets).</summary>
    public const string NoSuite = "FW7006";
    /// <summary>The run's model-call budget (--max-calls) ran out before every row was decided.</summary>
    public const string CallBudgetExhausted = "FW5002";
    /// <summary>A live target could not answer a row (the call failed after its retries).</summary>
    public const string TargetCallFailed = "FW5003";
    /// <summary>A path the suite names (dataset, its manifest and rows, responses, prompt) resolves outside the root, symlinks followed.</summary>
    public const string PathOutsideRoot = "FW1030";
    /// <summary>An output file or folder cannot be written (read-only, a file where a folder should be, disk full).</summary>
    public const string CannotWrite = "FW8001";
    /// <summary>The file system refused an operation Flywheel did not attribute to one of its files (a read that failed, a file that vanished, a closed output stream).</summary>
    public const string FileSystemFailed = "FW8002";
    /// <summary>The command line is wrong.</summary>
    public const string Usage = "FW9001";
    /// <summary>The GitHub Action's inputs or the runner's environment (event payload, API URL) are wrong.</summary>
    public const string GitHubEnvironment = "FW9002";
    /// <summary>pull_request_target with a head from another repository: the job holds the base's write token and secrets, so the Action refuses unless allow-untrusted-head is true.</summary>
    public const string UntrustedHead = "FW9003";
    /// <summary>A fault inside Flywheel itself (a bug): one line names it and where its full trace was written.</summary>
    public const string InternalError = "FW9999";
}
