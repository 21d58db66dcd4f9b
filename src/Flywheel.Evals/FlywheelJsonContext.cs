using System.Text.Json;
using System.Text.Json.Serialization;
using Flywheel.Evals.Datasets;
using Flywheel.Evals.Git;
using Flywheel.Evals.Runs;
using Flywheel.Evals.Targets;

namespace Flywheel.Evals;

/// <summary>Serializer metadata for every type Flywheel reads or writes, generated at build time.</summary>
/// <remarks>
/// Generated metadata spares a gate the reflection and the hundreds of JIT-compiled serializer methods it otherwise
/// pays for at start, and is what lets the command line be compiled ahead of time. The options repeat
/// <see cref="FlywheelJson"/>'s so property names are decided here, at build time.
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    RespectNullableAnnotations = true,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(Run))]
[JsonSerializable(typeof(RunRow))]
[JsonSerializable(typeof(List<RunRow>))]
[JsonSerializable(typeof(Row))]
[JsonSerializable(typeof(DatasetManifest))]
[JsonSerializable(typeof(ExpectedToolCall))]
[JsonSerializable(typeof(ToolDefinition))]
[JsonSerializable(typeof(Response))]
[JsonSerializable(typeof(DiffResult))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(List<string>))]
// A score's details are typed object: every type an evaluator puts there must be known here, or writing the run throws.
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(List<object?>))]
[JsonSerializable(typeof(List<int?>))]
[JsonSerializable(typeof(List<Dictionary<string, object?>>))]
[JsonSerializable(typeof(Dictionary<string, object?>))]
public sealed partial class FlywheelJsonContext : JsonSerializerContext;
