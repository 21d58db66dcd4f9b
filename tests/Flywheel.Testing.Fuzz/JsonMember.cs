namespace Flywheel.Testing.Fuzz;

/// <summary>An object member: its key's span (quotes included) and where its value ends.</summary>
internal readonly record struct JsonMember(int KeyStart, int KeyEnd, int ValueEnd);
