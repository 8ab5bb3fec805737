using System.CommandLine;
using System.Text.Json;
using Berth.Cli.Client;
using Berth.Cli.Invocation;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Environments;

/// <summary>
/// <c>berth env build</c>: builds the environment's image, streams the build log as it is
/// written, and exits 0 only when the image is ready.
/// </summary>
internal static class EnvironmentBuildCommand
{
    public static Command Create()
    {
        var environment = EnvironmentCommand.Argument();
        var noCache = new Option<bool>("--no-cache") { Description = "Rebuild from scratch even if the image exists." };
        var detach = new Option<bool>("--detach", "-d") { Description = "Start the build and return without waiting." };
        var command = new Command("build", "Build the environment's image, streaming the log until it ends.")
        {
            environment, noCache, detach,
        };
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var id = await EnvironmentReference.ResolveAsync(context.Api, context.Value(environment)!, cancellationToken);
            if (!id.TryGetValue(out var environmentId))
            {
                return context.Fail(id.Error);
            }

            if (await RuntimeMissingAsync(context, cancellationToken) is { } missing)
            {
                return missing;
            }

            var started = await context.Api.StartBuildAsync(environmentId, context.Value(noCache), cancellationToken);
            if (!started.TryGetValue(out var build))
            {
                return context.Fail(started.Error);
            }

            if (context.Value(detach) || build.Text("status") == "ready")
            {
                return Report(context, build, followed: false);
            }

            context.Console.WriteLine($"Building the image of {environmentId} (config {Shorten(build.Text("config_hash"))}).");
            var followed = await FollowLogAsync(context, environmentId, cancellationToken);

            return followed ?? await ReportFinalAsync(context, environmentId, cancellationToken);
        });

        return command;
    }

    /// <summary>Fails at once when the server has no container runtime: its builds would wait for one forever.</summary>
    private static async Task<int?> RuntimeMissingAsync(ClientContext context, CancellationToken cancellationToken)
    {
        var health = await context.Api.GetHealthAsync(cancellationToken);
        if (!health.TryGetValue(out var report))
        {
            return context.Fail(health.Error);
        }

        return report.Text("runtime") == "unavailable"
            ? context.Console.Fail(ExitCodes.Server,
                "The server has no container runtime, so builds wait until it has one. Start Docker where the server runs.")
            : null;
    }

    private static async Task<int?> FollowLogAsync(ClientContext context, string environmentId, CancellationToken cancellationToken)
    {
        var opened = await context.Api.OpenBuildLogAsync(environmentId, cancellationToken);
        if (!opened.TryGetValue(out var stream))
        {
            return context.Fail(opened.Error);
        }

        await using (stream)
        {
            await foreach (var item in stream.ReadAllAsync(cancellationToken))
            {
                if (item.Name == "end")
                {
                    break;
                }

                if (item.Name == "log")
                {
                    context.Console.WriteLog(DataOf(item));
                }
            }
        }

        return null;
    }

    private static async Task<int> ReportFinalAsync(ClientContext context, string environmentId, CancellationToken cancellationToken)
    {
        var final = await context.Api.GetBuildAsync(environmentId, cancellationToken);
        if (!final.TryGetValue(out var build))
        {
            return context.Fail(final.Error);
        }

        if (build.Text("status") is "pending" or "building")
        {
            return context.Console.Fail(ExitCodes.Server,
                "The build log ended before the build did; the server may have restarted. Run the command again to follow it.");
        }

        return Report(context, build, followed: true);
    }

    /// <summary>Says how the build ended; <paramref name="followed"/> when its log was just shown, so it ran now.</summary>
    private static int Report(ClientContext context, JsonElement build, bool followed)
    {
        var console = context.Console;
        var status = build.Text("status");
        var failed = status == "failed";
        if (console.IsJson)
        {
            console.WriteJson(build);
        }
        else if (status == "ready")
        {
            var cache = followed || build.Text("cache") != "hit"
                ? $"built in {Formats.Duration(build.Number("duration_ms"))}"
                : "already built";
            console.WriteLine($"Image ready ({cache}): {build.Text("image")}");
        }
        else if (!failed)
        {
            console.WriteLine($"Build {status}; follow it with: berth env build {build.Text("environment_id")}");
        }

        return failed ? FailBuild(console, build) : ExitCodes.Success;
    }

    private static int FailBuild(CliConsole console, JsonElement build)
    {
        var error = build.Child("error") ?? default;
        var step = error.Text("step") is { } name ? $" at step {name}" : "";
        var exitCode = error.Text("exit_code") is { } code ? $" (exit code {code})" : "";

        return console.Fail(ExitCodes.Failure, $"The build failed{step}{exitCode}: {error.Text("message") ?? "see the log above"}");
    }

    private static string? Shorten(string? hash) => hash is { Length: > 12 } ? hash[..12] : hash;

    private static string DataOf(ServerSentEvent item)
    {
        try
        {
            using var document = JsonDocument.Parse(item.Data);

            return document.RootElement.Text("data") ?? "";
        }
        catch (JsonException)
        {
            return item.Data;
        }
    }
}
