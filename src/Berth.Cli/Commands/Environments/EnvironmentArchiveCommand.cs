using System.CommandLine;
using Berth.Cli.Invocation;

namespace Berth.Cli.Commands.Environments;

/// <summary><c>berth env archive</c>: no new sessions from this environment; running ones go on.</summary>
internal static class EnvironmentArchiveCommand
{
    public static Command Create()
    {
        var environment = EnvironmentCommand.Argument();
        var command = new Command("archive", "Archive an environment: running sessions go on, new ones are refused.") { environment };
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var id = await EnvironmentReference.ResolveAsync(context.Api, context.Value(environment)!, cancellationToken);
            if (!id.TryGetValue(out var environmentId))
            {
                return context.Fail(id.Error);
            }

            var archived = await context.Api.ArchiveEnvironmentAsync(environmentId, cancellationToken);
            if (!archived.TryGetValue(out var body))
            {
                return context.Fail(archived.Error);
            }

            if (context.Console.IsJson)
            {
                context.Console.WriteJson(body);
            }
            else
            {
                context.Console.WriteLine($"Archived environment {EnvironmentView.Label(body)}.");
            }

            return ExitCodes.Success;
        });

        return command;
    }
}
