using System.CommandLine;
using Berth.Cli.Client;
using Berth.Cli.Invocation;

namespace Berth.Cli.Commands.Environments;

/// <summary><c>berth env list</c>: the account's environments, newest first.</summary>
internal static class EnvironmentListCommand
{
    public static Command Create()
    {
        var all = new Option<bool>("--all", "-a") { Description = "Include archived environments." };
        var paging = new PageOptions(defaultLimit: 20);
        var command = new Command("list", "List environments, newest first.") { all };
        command.Aliases.Add("ls");
        paging.AddTo(command);
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var query = paging.Query(context).Add("include_archived", context.Value(all));
            var listed = await context.Api.ListEnvironmentsAsync(query, cancellationToken);
            if (!listed.TryGetValue(out var page))
            {
                return context.Fail(listed.Error);
            }

            if (context.Console.IsJson)
            {
                context.Console.WriteJson(page);
                return ExitCodes.Success;
            }

            var table = EnvironmentView.Table(page.Items());
            if (table.Count == 0)
            {
                context.Console.WriteLine("No environments yet. Create one: berth env create NAME --apt curl");
                return ExitCodes.Success;
            }

            context.Console.WriteTable(table);
            PageOptions.WriteMoreHint(context, page, "berth env list");

            return ExitCodes.Success;
        });

        return command;
    }
}
