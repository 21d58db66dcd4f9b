using System.Security.Cryptography;
using System.Text;

namespace Flywheel.Action.GitHub;

/// <summary>Appends step outputs to the file named by <c>GITHUB_OUTPUT</c> in the multiline-safe <c>name&lt;&lt;DELIMITER</c> form.</summary>
internal sealed class GitHubOutputs
{
    private readonly List<KeyValuePair<string, string>> _values = [];

    /// <summary>Sets an output (the last value of a name wins, as on the runner).</summary>
    public void Set(string name, string value) => _values.Add(new(name, value));

    /// <summary>The outputs set so far.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Values => _values;

    /// <summary>Formats one output; the delimiter is random and checked against the value, so no value can end the block early or inject another output.</summary>
    public static string Format(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        string delimiter;
        do
        {
            delimiter = "ghadelimiter_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        }
        while (value.Contains(delimiter, StringComparison.Ordinal) || name.Contains(delimiter, StringComparison.Ordinal));

        return $"{name}<<{delimiter}\n{value}\n{delimiter}\n";
    }

    /// <summary>Appends every output to <paramref name="path"/> (the runner may have written to it already).</summary>
    public async Task AppendToAsync(string path, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in _values)
        {
            text.Append(Format(name, value));
        }

        await File.AppendAllTextAsync(path, text.ToString(), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
    }
}
