using System.CommandLine;
using Berth.Cli.Client;
using Berth.Cli.Invocation;

namespace Berth.Cli.Commands.Sessions;

/// <summary><c>berth session terminate</c>: stops the sandbox and keeps the session's record.</summary>
internal static class SessionTerminateCommand
{
    public static Command Create()
    {
        var session = SessionCommand.Argument();
        var command = new Command("terminate", "Stop a session and remove its sandbox; its record stays.") { session };
        command.Aliases.Add("stop");
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var terminated = await context.Api.TerminateSessionAsync(context.Value(session)!, cancellationToken);
            if (!terminated.TryGetValue(out var body))
            {
                return context.Fail(terminated.Error);
            }

            if (context.Console.IsJson)
            {
                context.Console.WriteJson(body);
            }
            else
            {
                context.Console.WriteLine($"Terminated session {body.Text("id")}.");
            }

            return ExitCodes.Success;
        });

        return command;
    }
}
