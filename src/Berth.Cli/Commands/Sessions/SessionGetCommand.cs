using System.CommandLine;
using Berth.Cli.Invocation;

namespace Berth.Cli.Commands.Sessions;

/// <summary><c>berth session get</c>: one session.</summary>
internal static class SessionGetCommand
{
    public static Command Create()
    {
        var session = SessionCommand.Argument();
        var command = new Command("get", "Show one session.") { session };
        command.Aliases.Add("show");
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var found = await context.Api.GetSessionAsync(context.Value(session)!, cancellationToken);
            if (!found.TryGetValue(out var body))
            {
                return context.Fail(found.Error);
            }

            if (context.Console.IsJson)
            {
                context.Console.WriteJson(body);
            }
            else
            {
                context.Console.WriteDetails(SessionView.Details(body));
            }

            return ExitCodes.Success;
        });

        return command;
    }
}
