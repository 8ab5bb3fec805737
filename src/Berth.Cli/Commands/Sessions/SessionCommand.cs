using System.CommandLine;
using Berth.Cli.Invocation;

namespace Berth.Cli.Commands.Sessions;

/// <summary><c>berth session</c>: sandboxes started from environments.</summary>
internal static class SessionCommand
{
    public const string IdDescription = "The session's id (sess_...).";

    public static Command Create()
    {
        var command = new Command("session", "Start, inspect and end sessions (isolated sandboxes).")
        {
            SessionCreateCommand.Create(),
            SessionListCommand.Create(),
            SessionGetCommand.Create(),
            SessionTerminateCommand.Create(),
            SessionDeleteCommand.Create(),
        };

        return command.WithClientOptions();
    }

    /// <summary>The session argument, with ids completed from the server.</summary>
    public static Argument<string> Argument()
    {
        var argument = new Argument<string>("session")
        {
            Description = IdDescription,

            // Without a help name, help would list every completion, and ask the server for them.
            HelpName = "session",
        };
        argument.CompleteSessions();

        return argument;
    }
}
