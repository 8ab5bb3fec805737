using System.CommandLine;
using Berth.Cli.Invocation;

namespace Berth.Cli.Commands.Sessions;

/// <summary><c>berth session delete</c>: terminates the session if needed and forgets it.</summary>
internal static class SessionDeleteCommand
{
    public static Command Create()
    {
        var session = SessionCommand.Argument();
        var command = new Command("delete", "Terminate a session if needed and delete it.") { session };
        command.Aliases.Add("rm");
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var id = context.Value(session)!;
            var deleted = await context.Api.DeleteSessionAsync(id, cancellationToken);
            if (!deleted.TryGetValue(out var body))
            {
                return context.Fail(deleted.Error);
            }

            if (context.Console.IsJson)
            {
                context.Console.WriteJson(body);
            }
            else
            {
                context.Console.WriteLine($"Deleted session {id}.");
            }

            return ExitCodes.Success;
        });

        return command;
    }
}
