using System.Text.RegularExpressions;
using Flywheel.Build.Tasks.Tests.Support;

namespace Flywheel.Build.Tasks.Tests.Validation;

/// <summary>FlywheelValidate on a plain <c>dotnet build</c> of a project that consumes the packed tasks.</summary>
public sealed class ValidateOnBuildTests(TaskPackage package)
{
    private const string Skipped = "Skipping target \"FlywheelValidate\" because all output files are up-to-date";
    private const string Validated = "Flywheel: validated evaluators/flywheel.json: valid";

    [Fact]
    public async Task Build_validates_the_suite_then_skips_validation_until_a_dataset_changes()
    {
        var consumer = new ConsumerProject(package, "valid");

        var first = await consumer.BuildAsync("-v:n");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains(Validated, first.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Skipped, first.Output, StringComparison.Ordinal);

        var second = await consumer.BuildAsync("-v:n");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains(Skipped, second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Validated, second.Output, StringComparison.Ordinal);

        File.SetLastWriteTimeUtc(consumer.RowsPath, DateTime.UtcNow.AddSeconds(1));
        var third = await consumer.BuildAsync("-v:n");
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Contains(Validated, third.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_rows_fail_the_build_with_file_line_column_and_code()
    {
        var consumer = new ConsumerProject(package, "malformed");
        var lines = File.ReadAllLines(consumer.RowsPath);
        // Line 7: a schema violation ("tags" must be an object); line 12: not JSON at all (truncated).
        var tagsAt = lines[6].IndexOf("\"tags\":", StringComparison.Ordinal);
        lines[6] = lines[6][..tagsAt] + "\"tags\": 5, \"labels\":" + lines[6][(tagsAt + "\"tags\":".Length)..];
        lines[11] = lines[11][..^2];
        File.WriteAllLines(consumer.RowsPath, lines);

        var result = await consumer.BuildAsync();

        Assert.True(result.ExitCode != 0, result.ToString());
        var rows = Regex.Escape(consumer.RowsPath);
        // The value 5 sits 8 characters after the opening quote of "tags"; columns are 1-based.
        Assert.Matches($@"{rows}\(7,{tagsAt + 9}\): error FW1002: row 'account-balance-0007': 'tags' must be an object", result.Output);
        Assert.Matches($@"{rows}\(12,\d+\): error FW1001: ", result.Output);
        Assert.DoesNotContain("error MSB4018", result.Output, StringComparison.Ordinal);
    }
}
