using Flywheel.Action.GitHub;

namespace Flywheel.Action.Tests.GitHub;

/// <summary>Workflow-command escaping: a message or a file name can never end the command early or forge another one.</summary>
public sealed class WorkflowCommandsTests
{
    [Fact]
    public void Message_escapes_percent_and_line_breaks_only()
    {
        var line = WorkflowCommands.Error("100% wrong:\r\nnext, line");

        Assert.Equal("::error::100%25 wrong:%0D%0Anext, line", line);
    }

    [Fact]
    public void Properties_also_escape_colon_and_comma()
    {
        var line = WorkflowCommands.Error("bad", "data/a,b:c%.jsonl", 7, 3, "gate failed: intent=x, y");

        Assert.Equal("::error file=data/a%2Cb%3Ac%25.jsonl,line=7,col=3,title=gate failed%3A intent=x%2C y::bad", line);
    }

    [Fact]
    public void Line_is_left_out_without_a_file_and_column_without_a_line()
    {
        Assert.Equal("::warning title=t::m", WorkflowCommands.Warning("m", null, 4, 2, "t"));
        Assert.Equal("::warning file=f.json::m", WorkflowCommands.Warning("m", "f.json", 0, 2));
    }

    [Fact]
    public void Forged_command_in_a_message_stays_inside_the_message()
    {
        var line = WorkflowCommands.Error("reason\n::add-mask::x");

        Assert.DoesNotContain('\n', line);
        Assert.Equal("::error::reason%0A::add-mask::x", line);
    }

    [Fact]
    public void Add_mask_carries_the_secret_as_data()
    {
        Assert.Equal("::add-mask::sk-1%25", WorkflowCommands.AddMask("sk-1%"));
    }

    [Fact]
    public void Control_characters_from_a_row_are_shown_in_an_annotation_not_obeyed()
    {
        var line = WorkflowCommands.Error("answer \u001B[31mred\u0007", "rows\u0001.jsonl", 2, title: "row \u009B1m");

        Assert.Equal("::error file=rows␁.jsonl,line=2,title=row \uFFFD1m::answer ␛[31mred␇", line);
    }

    [Fact]
    public void Add_mask_keeps_the_secret_exactly_so_the_runner_masks_what_is_printed()
    {
        Assert.Equal("::add-mask::k\u001Bey%0A", WorkflowCommands.AddMask("k\u001Bey\n"));
    }
}
