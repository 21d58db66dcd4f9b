namespace Flywheel.Action;

/// <summary>A parsed command line: the command, its positional arguments and its options (repeatable).</summary>
internal sealed record CommandLine(string Command, IReadOnlyList<string> Positionals, IReadOnlyDictionary<string, IReadOnlyList<string>> Options)
{
    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal) { "--help", "-h", "--version", "--quiet", "--commit", "--allow-near-duplicate", "--expect-no-tool-call", "--no-cache", "--verbose" };

    /// <summary>Parses <c>command [positionals] [--option value | --option=value | --flag]</c>.</summary>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var command = args.Count > 0 && !args[0].StartsWith('-') ? args[0] : string.Empty;
        var positionals = new List<string>();
        var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = command.Length > 0 ? 1 : 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-') || arg == "-")
            {
                positionals.Add(arg);
                continue;
            }

            string name;
            string value;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                name = arg[..equals];
                value = arg[(equals + 1)..];
            }
            else if (Flags.Contains(arg))
            {
                name = arg;
                value = "true";
            }
            else
            {
                name = arg;
                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"option {arg} needs a value");
                }

                value = args[++i];
            }

            if (!options.TryGetValue(name, out var values))
            {
                options[name] = values = [];
            }

            values.Add(value);
        }

        return new CommandLine(command, positionals, options.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value, StringComparer.Ordinal));
    }

    /// <summary>The single value of an option, or null.</summary>
    public string? Get(string name)
    {
        if (!Options.TryGetValue(name, out var values))
        {
            return null;
        }

        if (values.Count > 1)
        {
            throw new UsageException($"option {name} is given {values.Count} times; give it once");
        }

        return values[0];
    }

    /// <summary>True when a flag is present.</summary>
    public bool Has(string name) => Options.ContainsKey(name);

    /// <summary>Fails on options the command does not take, so a typo is never silently ignored.</summary>
    public void Allow(params string[] names)
    {
        foreach (var name in Options.Keys)
        {
            if (!names.Contains(name) && name is not ("--help" or "-h" or "--verbose"))
            {
                throw new UsageException(names.Length == 0 ? $"'{Command}' takes no options, not {name}" : $"'{Command}' does not take {name}; it takes {string.Join(", ", names)}");
            }
        }
    }
}
