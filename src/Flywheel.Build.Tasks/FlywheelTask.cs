using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using Flywheel.Build.Tasks.Logging;
using Flywheel.Evals.Diagnostics;
using Flywheel.Evals.Git;
using Microsoft.Build.Framework;
using MSBuildTask = Microsoft.Build.Utilities.Task;

namespace Flywheel.Build.Tasks;

/// <summary>The shape every Flywheel task shares: async engine work under a token that MSBuild's cancellation (Ctrl+C) trips.</summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "MSBuild never disposes tasks; Cancel may arrive on another thread after Execute, so the source stays alive with the task.")]
public abstract class FlywheelTask : MSBuildTask, ICancelableTask
{
    // How long a cancelled run may take to unwind (delete its spool) before the task stops waiting for it.
    private static readonly TimeSpan UnwindGrace = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>The folder relative suite paths resolve against; empty means the git work tree holding the project, else the project folder (as the command line does).</summary>
    public string? Root { get; set; }

    /// <summary>The folder of the project that runs the task (<c>$(MSBuildProjectDirectory)</c>); relative paths given to the task resolve against it.</summary>
    [Required]
    public string ProjectDirectory { get; set; } = string.Empty;

    /// <summary>Maps engine diagnostics to MSBuild errors and warnings.</summary>
    private protected DiagnosticLog Diagnostics => new(Log);

    /// <inheritdoc />
    public void Cancel() => _cancellation.Cancel();

    /// <inheritdoc />
    public sealed override bool Execute()
    {
        var token = _cancellation.Token;
        var work = ExecuteAsync(token);
        try
        {
            // Wait(token) returns as soon as MSBuild cancels, even if the engine is inside a blocking read.
            work.Wait(token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            Unwind(work);
            Log.LogError(null, DiagnosticCodes.Cancelled, null, null, 0, 0, 0, 0, "Flywheel: cancelled; no verdict, nothing written");
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
        {
            if (ex.InnerException is OperationCanceledException && token.IsCancellationRequested)
            {
                Log.LogError(null, DiagnosticCodes.Cancelled, null, null, 0, 0, 0, 0, "Flywheel: cancelled; no verdict, nothing written");
            }
            else
            {
                // A defect, not an input problem (those are logged as diagnostics): MSBuild reports it with its stack (MSB4018).
                ExceptionDispatchInfo.Capture(ex.InnerException!).Throw();
            }
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>The task's work; input problems are logged through <see cref="Diagnostics"/>, never thrown.</summary>
    protected abstract Task ExecuteAsync(CancellationToken cancellationToken);

    /// <summary>The root the suite's paths resolve against.</summary>
    protected string ResolveRoot()
    {
        if (!string.IsNullOrWhiteSpace(Root))
        {
            return Path.GetFullPath(Root, ProjectDirectory);
        }

        try
        {
            return GitInfo.FindWorkTree(ProjectDirectory) ?? ProjectDirectory;
        }
        catch (LibGit2Sharp.LibGit2SharpException)
        {
            return ProjectDirectory;
        }
    }

    /// <summary>A path given to the task (relative to the project, as MSBuild paths are), made absolute; null when empty.</summary>
    protected string? FromProject(string? path) =>
        string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(path, ProjectDirectory);

    private void Unwind(Task work)
    {
        try
        {
            if (!work.Wait(UnwindGrace))
            {
                Log.LogMessage(MessageImportance.Normal, "{0}", "Flywheel: the run did not stop within the grace period; leaving it to the process exit");
            }
        }
        catch (AggregateException)
        {
            // The run ended with the cancellation (or a failure caused by it); the verdict is already "cancelled".
        }
    }
}
