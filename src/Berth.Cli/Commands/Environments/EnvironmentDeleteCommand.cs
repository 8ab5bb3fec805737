using System.CommandLine;
using Berth.Cli.Invocation;

namespace Berth.Cli.Commands.Environments;

/// <summary><c>berth env delete</c>: removes an environment that no live session uses.</summary>
internal static class EnvironmentDeleteCommand
{
    public static Command Create()
    {
        var environment = EnvironmentCommand.Argument();
        var command = new Command("delete", "Delete an environment that no live session uses (admin tokens only).") { environment };
        command.Aliases.Add("rm");
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var id = await EnvironmentReference.ResolveAsync(context.Api, context.Value(environment)!, cancellationToken);
            if (!id.TryGetValue(out var environmentId))
            {
                return context.Fail(id.Error);
            }

            var deleted = await context.Api.DeleteEnvironmentAsync(environmentId, cancellationToken);
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
                context.Console.WriteLine($"Deleted environment {environmentId}.");
            }

            return ExitCodes.Success;
        });

        return command;
    }
}
