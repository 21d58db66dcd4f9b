using Flywheel.Evals.Schemas;

namespace Flywheel.Evals.Tests.Schemas;

public sealed class FlywheelSchemasTests
{
    [Fact]
    public async Task An_integer_beyond_64_bits_where_any_value_may_stand_is_valid()
    {
        var schemas = await FlywheelSchemas.LoadAsync(TestContext.Current.CancellationToken);
        const string Row = """
            {"id":"r-1","tags":{"intent":"pay"},"input":[{"role":"user","content":"Send it"}],"expected":{"tool_calls":[{"name":"send","arguments":{"amount":[18446744073709551616, -99999999999999999999999]}}]}}
            """;

        Assert.Empty(FlywheelSchemas.Validate(schemas.Row, Row));
    }

    [Fact]
    public async Task An_integer_beyond_64_bits_in_a_bounded_field_is_out_of_range_at_its_position()
    {
        var schemas = await FlywheelSchemas.LoadAsync(TestContext.Current.CancellationToken);
        const string Manifest = """
            {"name": "demo", "version": "1.0.0", "cohort_keys": [],
             "schema_version": -123456789012345678901234567890}
            """;

        var problem = Assert.Single(FlywheelSchemas.Validate(schemas.Manifest, Manifest));

        Assert.Equal(2, problem.Line);
        Assert.Equal("'schema_version' is out of range", problem.Message);
    }
}
