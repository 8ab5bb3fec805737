using System.CommandLine;
using System.Text.Json.Nodes;
using Berth.Cli.Client;
using Berth.Cli.Invocation;

namespace Berth.Cli.Commands.Environments;

/// <summary><c>berth env create</c>: a new environment from flags, a JSON or YAML file, or both.</summary>
internal static class EnvironmentCreateCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("name") { Description = "The environment's name.", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<string?>("--file", "-f")
        {
            Description = "A JSON or YAML file with the request body (- for stdin); flags override it.",
            HelpName = "path",
        };
        var description = new Option<string?>("--description") { Description = "What the environment is for." };
        var metadata = new Option<string[]>("--metadata") { Description = "KEY=VALUE to store with it; repeat for more.", HelpName = "key=value" };
        var config = new EnvironmentConfigOptions();
        var command = new Command("create", "Create an environment; its image starts building at once.")
        {
            name, file, description, metadata,
        };
        config.AddTo(command);
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var body = context.Value(file) is { } path ? await BodyFile.ReadAsync(path, cancellationToken) : new JsonObject();
            body.SetIfGiven("name", context.Value(name));
            body.SetIfGiven("description", context.Value(description));
            if (CommandLineValues.Pairs(context.Value(metadata), "--metadata") is { } pairs)
            {
                body["metadata"] = JsonBodies.Merge(body["metadata"] as JsonObject, pairs);
            }

            var configBody = body["config"] as JsonObject ?? new JsonObject { ["type"] = "cloud" };
            await config.ApplyAsync(context, configBody, cancellationToken);
            body["config"] = configBody;

            return await SendAsync(context, body, cancellationToken);
        });

        return command;
    }

    private static async Task<int> SendAsync(ClientContext context, JsonObject body, CancellationToken cancellationToken)
    {
        var created = await context.Api.CreateEnvironmentAsync(body, cancellationToken);
        if (!created.TryGetValue(out var environment))
        {
            return context.Fail(created.Error);
        }

        var console = context.Console;
        if (console.IsJson)
        {
            console.WriteJson(environment);
            return ExitCodes.Success;
        }

        console.WriteLine($"Created environment {EnvironmentView.Label(environment)}.");
        console.WriteLine($"Its image is building; watch it with: berth env build {environment.Text("id")}");

        return ExitCodes.Success;
    }
}
