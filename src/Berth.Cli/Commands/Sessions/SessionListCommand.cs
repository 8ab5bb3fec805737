using System.CommandLine;
using Berth.Cli.Client;
using Berth.Cli.Invocation;

namespace Berth.Cli.Commands.Sessions;

/// <summary><c>berth session list</c>: the account's sessions, newest first.</summary>
internal static class SessionListCommand
{
    private static readonly string[] Statuses = ["provisioning", "idle", "running", "terminated", "failed"];

    public static Command Create()
    {
        var environment = new Option<string?>("--env") { Description = "Only sessions of this environment (id or name).", HelpName = "environment" };
        environment.CompleteEnvironments();
        var status = new Option<string?>("--status") { Description = "Only sessions in this status." };
        status.AcceptOnlyFromAmong(Statuses);
        var all = new Option<bool>("--all", "-a") { Description = "Include terminated sessions." };
        var paging = new PageOptions(defaultLimit: 20);
        var command = new Command("list", "List sessions, newest first.") { environment, status, all };
        command.Aliases.Add("ls");
        paging.AddTo(command);
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var query = paging.Query(context)
                .Add("status", context.Value(status))
                .Add("include_terminated", context.Value(all) || context.Value(status) == "terminated");
            if (context.Value(environment) is { } reference)
            {
                var id = await EnvironmentReference.ResolveAsync(context.Api, reference, cancellationToken);
                if (!id.TryGetValue(out var environmentId))
                {
                    return context.Fail(id.Error);
                }

                query.Add("environment_id", environmentId);
            }

            var listed = await context.Api.ListSessionsAsync(query, cancellationToken);
            if (!listed.TryGetValue(out var page))
            {
                return context.Fail(listed.Error);
            }

            if (context.Console.IsJson)
            {
                context.Console.WriteJson(page);
                return ExitCodes.Success;
            }

            var table = SessionView.Table(page.Items());
            if (table.Count == 0)
            {
                context.Console.WriteLine("No sessions. Start one: berth session create ENVIRONMENT");
                return ExitCodes.Success;
            }

            context.Console.WriteTable(table);
            PageOptions.WriteMoreHint(context, page, "berth session list");

            return ExitCodes.Success;
        });

        return command;
    }
}
