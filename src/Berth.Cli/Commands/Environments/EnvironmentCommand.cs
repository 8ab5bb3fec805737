using System.CommandLine;
using Berth.Cli.Invocation;

namespace Berth.Cli.Commands.Environments;

/// <summary><c>berth env</c>: the environments that sessions start from.</summary>
internal static class EnvironmentCommand
{
    public static Command Create()
    {
        var command = new Command("env", "Create, inspect, build and retire environments (templates for sandboxes).")
        {
            EnvironmentCreateCommand.Create(),
            EnvironmentListCommand.Create(),
            EnvironmentGetCommand.Create(),
            EnvironmentUpdateCommand.Create(),
            EnvironmentBuildCommand.Create(),
            EnvironmentArchiveCommand.Create(),
            EnvironmentDeleteCommand.Create(),
        };

        return command.WithClientOptions();
    }

    /// <summary>The environment argument, by id or by name, with ids completed from the server.</summary>
    public static Argument<string> Argument()
    {
        var argument = new Argument<string>("environment")
        {
            Description = "The environment's id (env_...) or its name.",

            // Without a help name, help would list every completion, and ask the server for them.
            HelpName = "environment",
        };
        argument.CompleteEnvironments();

        return argument;
    }
}
