using System.CommandLine;
using System.Text.Json.Nodes;
using Berth.Cli.Client;
using Berth.Cli.Invocation;

namespace Berth.Cli.Commands.Environments;

/// <summary><c>berth env update</c>: changes what the flags name and keeps everything else.</summary>
internal static class EnvironmentUpdateCommand
{
    public static Command Create()
    {
        var environment = EnvironmentCommand.Argument();
        var file = new Option<string?>("--file", "-f")
        {
            Description = "A JSON or YAML file with the change (- for stdin); flags override it.",
            HelpName = "path",
        };
        var name = new Option<string?>("--name") { Description = "A new name." };
        var description = new Option<string?>("--description") { Description = "A new description." };
        var metadata = new Option<string[]>("--metadata")
        {
            Description = "KEY=VALUE to set, or KEY= to remove; repeat for more.",
            HelpName = "key=value",
        };
        var config = new EnvironmentConfigOptions();
        var command = new Command("update", "Change an environment; a new config builds a new image.")
        {
            environment, file, name, description, metadata,
        };
        config.AddTo(command);
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var id = await EnvironmentReference.ResolveAsync(context.Api, context.Value(environment)!, cancellationToken);
            if (!id.TryGetValue(out var environmentId))
            {
                return context.Fail(id.Error);
            }

            var patch = context.Value(file) is { } path ? await BodyFile.ReadAsync(path, cancellationToken) : new JsonObject();
            patch.SetIfGiven("name", context.Value(name));
            patch.SetIfGiven("description", context.Value(description));
            if (CommandLineValues.Pairs(context.Value(metadata), "--metadata", emptyIsNull: true) is { } pairs)
            {
                patch["metadata"] = JsonBodies.Merge(patch["metadata"] as JsonObject, pairs);
            }

            if (config.AnyGiven(context))
            {
                var merged = await MergeConfigAsync(context, environmentId, patch, config, cancellationToken);
                if (!merged.TryGetValue(out var newConfig))
                {
                    return context.Fail(merged.Error);
                }

                patch["config"] = newConfig;
            }

            if (patch.Count == 0)
            {
                throw new UsageException("Nothing to change: give --name, --description, --metadata, a config flag or --file.");
            }

            return await SendAsync(context, environmentId, patch, cancellationToken);
        });

        return command;
    }

    /// <summary>The config the flags describe, on top of the file's config or else the current one.</summary>
    private static async Task<ApiResult<JsonObject>> MergeConfigAsync(
        ClientContext context, string environmentId, JsonObject patch, EnvironmentConfigOptions config,
        CancellationToken cancellationToken)
    {
        var current = await context.Api.GetEnvironmentAsync(environmentId, cancellationToken);
        if (!current.TryGetValue(out var environment))
        {
            return current.Error;
        }

        var currentConfig = JsonNode.Parse(environment.Child("config")?.GetRawText() ?? "{}") as JsonObject ?? [];
        var merged = patch["config"] as JsonObject ?? currentConfig;
        merged["type"] ??= currentConfig["type"]?.DeepClone();
        await config.ApplyAsync(context, merged, cancellationToken);

        return merged;
    }

    private static async Task<int> SendAsync(ClientContext context, string environmentId, JsonObject patch, CancellationToken cancellationToken)
    {
        var updated = await context.Api.UpdateEnvironmentAsync(environmentId, patch, cancellationToken);
        if (!updated.TryGetValue(out var body))
        {
            return context.Fail(updated.Error);
        }

        if (context.Console.IsJson)
        {
            context.Console.WriteJson(body);
            return ExitCodes.Success;
        }

        context.Console.WriteLine($"Updated environment {EnvironmentView.Label(body)}.");
        if (patch.ContainsKey("config"))
        {
            context.Console.WriteLine($"Its new config builds a new image; watch it with: berth env build {environmentId}");
        }

        return ExitCodes.Success;
    }
}
