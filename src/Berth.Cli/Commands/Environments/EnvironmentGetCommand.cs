using System.CommandLine;
using Berth.Cli.Invocation;

namespace Berth.Cli.Commands.Environments;

/// <summary><c>berth env get</c>: one environment, archived or not.</summary>
internal static class EnvironmentGetCommand
{
    public static Command Create()
    {
        var environment = EnvironmentCommand.Argument();
        var command = new Command("get", "Show one environment.") { environment };
        command.Aliases.Add("show");
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var id = await EnvironmentReference.ResolveAsync(context.Api, context.Value(environment)!, cancellationToken);
            if (!id.TryGetValue(out var environmentId))
            {
                return context.Fail(id.Error);
            }

            var found = await context.Api.GetEnvironmentAsync(environmentId, cancellationToken);
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
                context.Console.WriteDetails(EnvironmentView.Details(body));
            }

            return ExitCodes.Success;
        });

        return command;
    }
}
