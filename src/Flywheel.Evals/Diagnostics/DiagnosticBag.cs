namespace Flywheel.Evals.Diagnostics;

/// <summary>Collects problems so that a pass over the input reports all of them, not only the first.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];
    private readonly object _gate = new();

    /// <summary>Every problem collected so far: files in the order first seen, lines in order within a file.</summary>
    /// <remarks>Rows are checked concurrently, so arrival order is not line order; sorting keeps output and run.json deterministic.</remarks>
    public IReadOnlyList<Diagnostic> Items
    {
        get
        {
            lock (_gate)
            {
                var fileOrder = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var item in _items)
                {
                    fileOrder.TryAdd(item.Path, fileOrder.Count);
                }

                return _items.OrderBy(d => fileOrder[d.Path]).ThenBy(d => d.Line).ThenBy(d => d.Column).ThenBy(d => d.Code, StringComparer.Ordinal).ThenBy(d => d.Message, StringComparer.Ordinal).ToArray();
            }
        }
    }

    /// <summary>True when at least one collected problem is an error.</summary>
    public bool HasErrors
    {
        get
        {
            lock (_gate)
            {
                return _items.Exists(d => d.Severity == DiagnosticSeverity.Error);
            }
        }
    }

    /// <summary>Adds a problem.</summary>
    public void Add(Diagnostic diagnostic)
    {
        lock (_gate)
        {
            _items.Add(diagnostic);
        }
    }

    /// <summary>Adds an error.</summary>
    public void Error(string path, int line, int column, string code, string message) =>
        Add(new Diagnostic(path, line, column, code, message));

    /// <summary>Adds a warning.</summary>
    public void Warning(string path, int line, int column, string code, string message) =>
        Add(new Diagnostic(path, line, column, code, message, DiagnosticSeverity.Warning));

    /// <summary>Throws <see cref="FlywheelInputException"/> when any error was collected.</summary>
    public void ThrowIfErrors()
    {
        if (HasErrors)
        {
            throw new FlywheelInputException(Items.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray());
        }
    }
}
