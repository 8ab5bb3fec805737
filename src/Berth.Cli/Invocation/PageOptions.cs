using System.CommandLine;
using System.Text.Json;
using Berth.Cli.Client;

namespace Berth.Cli.Invocation;

/// <summary><c>--limit</c> and <c>--after</c> for list commands, passed to the API's paging as they are.</summary>
internal sealed class PageOptions
{
    private readonly Option<int?> _limit;
    private readonly Option<string?> _after = new("--after")
    {
        Description = "Continue after this id: the cursor a previous page printed.",
        HelpName = "id",
    };

    public PageOptions(int defaultLimit)
    {
        _limit = new Option<int?>("--limit", "-n")
        {
            Description = $"How many to show, at most 100 (default {defaultLimit}).",
            HelpName = "count",
            DefaultValueFactory = _ => defaultLimit,
        };
    }

    public void AddTo(Command command)
    {
        command.Options.Add(_limit);
        command.Options.Add(_after);
    }

    public string? After(ClientContext context) => context.Value(_after);

    public ListQuery Query(ClientContext context) => new(context.Value(_limit), context.Value(_after));

    /// <summary>Tells a person how to see the next page, when there is one.</summary>
    public static void WriteMoreHint(ClientContext context, JsonElement page, string command)
    {
        if (page.Flag("has_more") && page.Text("next_page") is { } next)
        {
            context.Console.WriteLine($"More: {command} --after {next}");
        }
    }
}
