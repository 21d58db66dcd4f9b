using System.Text;
using Flywheel.Evals.Promotion;

namespace Flywheel.Evals.Tests.Promotion;

public sealed class RowsFileTests
{
    private const string Row = """{"id":"b-1"}""";

    [Fact]
    public void Inserts_before_the_first_greater_id_and_leaves_every_other_byte()
    {
        var (bytes, line) = RowsFile.Parse(Utf8("{\"id\":\"a-1\"}\n\n{\"id\":\"c-1\"}\n")).Insert("b-1", Row);

        Assert.Equal("{\"id\":\"a-1\"}\n\n" + Row + "\n{\"id\":\"c-1\"}\n", Text(bytes));
        Assert.Equal(3, line);
    }

    [Fact]
    public void A_crlf_file_gets_a_crlf_line()
    {
        var (bytes, _) = RowsFile.Parse(Utf8("{\"id\":\"a-1\"}\r\n{\"id\":\"c-1\"}\r\n")).Insert("b-1", Row);

        Assert.Equal("{\"id\":\"a-1\"}\r\n" + Row + "\r\n{\"id\":\"c-1\"}\r\n", Text(bytes));
    }

    [Fact]
    public void In_a_file_of_mixed_endings_the_new_line_takes_the_ending_of_the_line_before_it()
    {
        var (bytes, _) = RowsFile.Parse(Utf8("{\"id\":\"a-1\"}\n{\"id\":\"a-2\"}\r\n{\"id\":\"c-1\"}\n")).Insert("b-1", Row);

        Assert.Equal("{\"id\":\"a-1\"}\n{\"id\":\"a-2\"}\r\n" + Row + "\r\n{\"id\":\"c-1\"}\n", Text(bytes));
    }

    [Fact]
    public void Appending_after_an_unterminated_last_line_ends_it_first_with_the_files_own_ending()
    {
        var (bytes, line) = RowsFile.Parse(Utf8("{\"id\":\"a-0\"}\r\n{\"id\":\"a-1\"}")).Insert("b-1", Row);

        Assert.Equal("{\"id\":\"a-0\"}\r\n{\"id\":\"a-1\"}\r\n" + Row + "\r\n", Text(bytes));
        Assert.Equal(3, line);
    }

    [Fact]
    public void Inserting_at_the_top_of_a_file_with_a_byte_order_mark_keeps_the_mark_first()
    {
        var original = Utf8("\uFEFF{\"id\":\"c-1\"}\n");

        var (bytes, line) = RowsFile.Parse(original).Insert("b-1", Row);

        Assert.Equal("\uFEFF" + Row + "\n{\"id\":\"c-1\"}\n", Text(bytes));
        Assert.Equal(1, line);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    public void An_empty_file_gets_the_row_as_its_only_line(string content)
    {
        var (bytes, _) = RowsFile.Parse(Utf8(content)).Insert("b-1", Row);

        Assert.Equal(content + Row + "\n", Text(bytes));
    }

    [Theory]
    [InlineData("{\"id\":\"a\"}\n{\"id\":\"a\"}\n")]
    [InlineData("{\"id\":\"b\"}\n{\"id\":\"a\"}\n")]
    [InlineData("{\"id\":\"a\"}\nversion https://git-lfs.github.com/spec/v1\n")]
    public void A_file_whose_ids_are_not_unique_and_sorted_has_no_place_for_a_row(string content) =>
        Assert.False(RowsFile.Parse(Utf8(content)).IsOrdered);

    [Fact]
    public void Finds_a_row_by_its_trace_id()
    {
        var rows = RowsFile.Parse(Utf8("{\"id\":\"a\"}\n{\"id\":\"b\",\"source\":{\"trace_id\":\"t-9\"}}\n"));

        Assert.Equal(("b", 2), (rows.FindTrace("t-9")!.Id, rows.FindTrace("t-9")!.Number));
        Assert.Null(rows.FindTrace("t-1"));
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
