using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Flywheel.Evals;

/// <summary>The JSON settings every Flywheel file shares: snake_case names, nulls left out.</summary>
public static class FlywheelJson
{
    /// <summary>Options for reading and writing rows, responses and runs.</summary>
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    /// <summary>Options for files people read (run.json is indented).</summary>
    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    /// <summary>The generated serializer metadata for <typeparamref name="T"/> under <see cref="Options"/> (or <see cref="Indented"/>).</summary>
    public static JsonTypeInfo<T> Info<T>(bool indented = false) => (JsonTypeInfo<T>)(indented ? Indented : Options).GetTypeInfo(typeof(T));

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            WriteIndented = indented,
            // Reports embed run.json text; keep non-ASCII readable and let HTML escaping happen where HTML is written.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            RespectNullableAnnotations = true,
            // Strict JSON (see StrictJson) for what the serializer reads: a key twice is an error, not the last one winning.
            AllowDuplicateProperties = false,
            TypeInfoResolver = FlywheelJsonContext.Default,
        };
        options.MakeReadOnly();
        return options;
    }
}
