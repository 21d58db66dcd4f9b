using LibGit2Sharp;

namespace Flywheel.Evals.Git;

/// <summary>Who commits a promotion: user.name and user.email from the repository's config, then the user's and the system's.</summary>
/// <remarks>
/// LibGit2Sharp locates the global and system config files through a buffer that an ahead-of-time compiled program never
/// sees written back (libgit2/libgit2sharp#2187), so the native <c>flywheel</c> saw only the repository's own config.
/// When that holds no identity, the files are looked up where git looks for them and read through libgit2.
/// </remarks>
internal static class GitIdentity
{
    /// <summary>The author and committer signature, or null when no config names both a user and an email.</summary>
    public static Signature? Signature(Repository repository, DateTimeOffset when)
    {
        if (repository.Config.BuildSignature(when) is { } signature)
        {
            return signature;
        }

        using var config = FromFiles(repository);
        return config.BuildSignature(when);
    }

    /// <summary>user.name, or null when no config sets it.</summary>
    public static string? UserName(Repository repository)
    {
        if (repository.Config.Get<string>("user.name")?.Value is { Length: > 0 } name)
        {
            return name;
        }

        using var config = FromFiles(repository);
        return config.Get<string>("user.name")?.Value;
    }

    private static Configuration FromFiles(Repository repository) =>
        Configuration.BuildFrom(Path.Join(repository.Info.Path, "config"), Existing(GlobalFile()), Existing(XdgFile()), Existing(SystemFile()));

    // git's order of lookup (git-config(1), FILES): GIT_CONFIG_GLOBAL or ~/.gitconfig; $XDG_CONFIG_HOME/git/config or
    // ~/.config/git/config; GIT_CONFIG_SYSTEM or /etc/gitconfig unless GIT_CONFIG_NOSYSTEM.
    private static string? GlobalFile() =>
        Environment.GetEnvironmentVariable("GIT_CONFIG_GLOBAL") is { Length: > 0 } global ? global : InHome(".gitconfig");

    private static string? XdgFile() =>
        Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg ? Path.Join(xdg, "git", "config") : InHome(Path.Join(".config", "git", "config"));

    private static string? SystemFile()
    {
        if (Environment.GetEnvironmentVariable("GIT_CONFIG_NOSYSTEM") is { Length: > 0 } off && off is not ("0" or "false"))
        {
            return null;
        }

        return Environment.GetEnvironmentVariable("GIT_CONFIG_SYSTEM") is { Length: > 0 } system ? system : OperatingSystem.IsWindows() ? null : "/etc/gitconfig";
    }

    private static string? InHome(string relative) =>
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home ? Path.Join(home, relative) : null;

    private static string? Existing(string? path) => path is not null && File.Exists(path) ? path : null;
}
