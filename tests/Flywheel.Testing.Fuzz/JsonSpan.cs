namespace Flywheel.Testing.Fuzz;

/// <summary>A range of bytes: Start inclusive, End exclusive.</summary>
internal readonly record struct JsonSpan(int Start, int End)
{
    public int Length => End - Start;
}
