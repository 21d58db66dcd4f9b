using System.Numerics;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Flywheel.Evals.Schemas;

/// <summary>The JSON Schemas of datasets/schema/ (embedded in the engine), ready to validate with.</summary>
public sealed class FlywheelSchemas
{
    private FlywheelSchemas(JsonSchema row, JsonSchema manifest, JsonSchema suite, JsonSchema run)
    {
        Row = row;
        Manifest = manifest;
        Suite = suite;
        Run = run;
    }

    /// <summary>row.schema.json.</summary>
    public JsonSchema Row { get; }

    /// <summary>dataset.schema.json.</summary>
    public JsonSchema Manifest { get; }

    /// <summary>suite.schema.json.</summary>
    public JsonSchema Suite { get; }

    /// <summary>run.schema.json.</summary>
    public JsonSchema Run { get; }

    /// <summary>Loads the embedded schemas.</summary>
    public static async Task<FlywheelSchemas> LoadAsync(CancellationToken cancellationToken = default)
    {
        var row = await LoadOneAsync("row", cancellationToken).ConfigureAwait(false);
        var manifest = await LoadOneAsync("dataset", cancellationToken).ConfigureAwait(false);
        var suite = await LoadOneAsync("suite", cancellationToken).ConfigureAwait(false);
        var run = await LoadOneAsync("run", cancellationToken).ConfigureAwait(false);
        return new FlywheelSchemas(row, manifest, suite, run);
    }

    /// <summary>The text of an embedded schema (row, dataset, suite, run).</summary>
    public static string Text(string name)
    {
        using var stream = typeof(FlywheelSchemas).Assembly.GetManifestResourceStream($"Flywheel.Schemas.{name}.schema.json")
            ?? throw new InvalidOperationException($"schema '{name}' is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Validates JSON text and flattens NJsonSchema's nested errors into (line, column, message).</summary>
    public static IReadOnlyList<SchemaProblem> Validate(JsonSchema schema, string json)
    {
        ArgumentNullException.ThrowIfNull(schema);
        // Read as NJsonSchema's own Validate(string) reads it, so errors and their positions stay the same.
        JToken token;
        using (var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None })
        {
            token = JToken.ReadFrom(reader);
        }

        if (MayHoldBigInteger(json))
        {
            ClampBigIntegers(token);
        }

        var problems = new List<SchemaProblem>();
        Flatten(schema.Validate(token), problems);
        return problems;
    }

    /// <summary>Whether the text has 19 digits in a row (every integer of 18 digits or fewer fits in 64 bits): walking the tokens is then needed.</summary>
    private static bool MayHoldBigInteger(string json)
    {
        var run = 0;
        foreach (var c in json)
        {
            run = char.IsAsciiDigit(c) ? run + 1 : 0;
            if (run >= 19)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// An integer beyond 64 bits is read as a BigInteger, which NJsonSchema's number checks cannot convert (an
    /// InvalidCastException, a crash); the nearest 64-bit integer keeps every check's outcome: a bounded field is out of
    /// range either way, an unbounded or free-form one accepts both.
    /// </summary>
    private static void ClampBigIntegers(JToken token)
    {
        var tokens = token is JContainer container ? container.DescendantsAndSelf() : [token];
        foreach (var value in tokens.OfType<JValue>().Where(v => v.Value is BigInteger).ToList())
        {
            value.Value = (BigInteger)value.Value! > long.MaxValue ? long.MaxValue : long.MinValue;
        }
    }

    private static void Flatten(IEnumerable<ValidationError> errors, List<SchemaProblem> into)
    {
        foreach (var error in errors)
        {
            if (error is ChildSchemaValidationError child && child.Errors.Count > 0)
            {
                // Report the most specific failure of a oneOf/anyOf branch rather than "no branch matched".
                var inner = child.Errors.SelectMany(e => e.Value).ToList();
                if (inner.Count > 0)
                {
                    Flatten(inner, into);
                    continue;
                }
            }

            into.Add(new SchemaProblem(error.HasLineInfo ? error.LineNumber : 0, error.HasLineInfo ? error.LinePosition : 0, Describe(error)));
        }
    }

    private static string Describe(ValidationError error)
    {
        var path = string.IsNullOrEmpty(error.Path) ? "#" : error.Path;
        var pointer = path.Replace("#/", string.Empty, StringComparison.Ordinal).Replace('/', '.');
        var where = pointer == "#" ? "the object" : $"'{pointer}'";
        return error.Kind switch
        {
            ValidationErrorKind.PropertyRequired => $"required property '{Join(pointer, error.Property)}' is missing",
            ValidationErrorKind.NoAdditionalPropertiesAllowed => $"unknown property {where}",
            ValidationErrorKind.StringExpected => $"{where} must be a string",
            ValidationErrorKind.NumberExpected => $"{where} must be a number",
            ValidationErrorKind.IntegerExpected => $"{where} must be an integer",
            ValidationErrorKind.BooleanExpected => $"{where} must be true or false",
            ValidationErrorKind.ObjectExpected => $"{where} must be an object",
            ValidationErrorKind.ArrayExpected => $"{where} must be an array",
            ValidationErrorKind.NotInEnumeration => $"{where} is not one of the allowed values",
            ValidationErrorKind.TooFewItems => $"{where} has too few items",
            ValidationErrorKind.StringTooShort => $"{where} must not be empty",
            ValidationErrorKind.PatternMismatch => $"{where} has characters that are not allowed",
            ValidationErrorKind.NumberTooBig or ValidationErrorKind.NumberTooSmall => $"{where} is out of range",
            ValidationErrorKind.NullExpected => $"{where} must be null",
            _ => $"{where}: {error.Kind}",
        };
    }

    private static string Join(string pointer, string? property) =>
        pointer == "#" || string.IsNullOrEmpty(pointer) || pointer.EndsWith(property ?? string.Empty, StringComparison.Ordinal)
            ? property ?? pointer
            : $"{pointer}.{property}";

    private static async Task<JsonSchema> LoadOneAsync(string name, CancellationToken cancellationToken) =>
        await JsonSchema.FromJsonAsync(Text(name), cancellationToken).ConfigureAwait(false);
}
