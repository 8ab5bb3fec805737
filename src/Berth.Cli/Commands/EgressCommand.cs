using System.CommandLine;
using Berth.Cli.Client;
using Berth.Cli.Commands.Sessions;
using Berth.Cli.Invocation;
using Berth.Cli.Output;

namespace Berth.Cli.Commands;

/// <summary><c>berth egress SESSION</c>: the session's network decisions, newest first, and the rule behind each.</summary>
internal static class EgressCommand
{
    public static Command Create()
    {
        var session = SessionCommand.Argument();
        var paging = new PageOptions(defaultLimit: 50);
        var command = new Command("egress", "Show which hosts a session reached or was refused, and which rule decided.") { session };
        paging.AddTo(command);
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var listed = await context.Api.ListEgressAsync(context.Value(session)!, paging.Query(context), cancellationToken);
            if (!listed.TryGetValue(out var page))
            {
                return context.Fail(listed.Error);
            }

            if (context.Console.IsJson)
            {
                context.Console.WriteJson(page);
                return ExitCodes.Success;
            }

            var table = new TextTable("TIME", "VERDICT", "PROTOCOL", "HOST", "PORT", "RULE");
            foreach (var decision in page.Items())
            {
                table.AddRow(
                    Formats.Time(decision.Text("time")), decision.Text("verdict"), decision.Text("protocol"),
                    decision.Text("host"), decision.Text("port"), decision.Text("rule"));
            }

            if (table.Count == 0)
            {
                context.Console.WriteLine("No network decisions yet.");
                return ExitCodes.Success;
            }

            context.Console.WriteTable(table);
            PageOptions.WriteMoreHint(context, page, $"berth egress {context.Value(session)}");

            return ExitCodes.Success;
        });

        return command.WithClientOptions();
    }
}
