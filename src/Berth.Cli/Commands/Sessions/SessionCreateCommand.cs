using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Cli.Client;
using Berth.Cli.Commands.Environments;
using Berth.Cli.Invocation;

namespace Berth.Cli.Commands.Sessions;

/// <summary>
/// <c>berth session create</c>: starts a sandbox and, unless told not to, waits until it is
/// ready for commands, so that the next line of a script can use it.
/// </summary>
internal static class SessionCreateCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan SlowStart = TimeSpan.FromSeconds(3);

    public static Command Create()
    {
        var environment = EnvironmentCommand.Argument();
        var title = new Option<string?>("--title") { Description = "A title to recognise the session by." };
        var metadata = new Option<string[]>("--metadata") { Description = "KEY=VALUE to store with it; repeat for more.", HelpName = "key=value" };
        var variables = new Option<string[]>("--env", "-e")
        {
            Description = "KEY=VALUE environment variable for every command; repeat for more.",
            HelpName = "key=value",
        };
        var agent = new Option<string?>("--agent") { Description = "An opaque label kept for the client." };
        var timeout = new Option<int?>("--timeout")
        {
            Description = "Idle seconds before the session is terminated (default 3600, at most 86400).",
            HelpName = "seconds",
        };
        var noWait = new Option<bool>("--no-wait") { Description = "Return at once, while the sandbox may still be provisioning." };
        var command = new Command("create", "Start a session from an environment and wait until it is ready.")
        {
            environment, title, metadata, variables, agent, timeout, noWait,
        };
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var id = await EnvironmentReference.ResolveAsync(context.Api, context.Value(environment)!, cancellationToken);
            if (!id.TryGetValue(out var environmentId))
            {
                return context.Fail(id.Error);
            }

            var body = new JsonObject { ["environment_id"] = environmentId };
            body.SetIfGiven("title", context.Value(title));
            body.SetIfGiven("agent", context.Value(agent));
            body.SetIfGiven("metadata", CommandLineValues.Pairs(context.Value(metadata), "--metadata"));
            body.SetIfGiven("environment_variables", CommandLineValues.Pairs(context.Value(variables), "--env"));
            body.SetIfGiven("timeout_seconds", context.Value(timeout));

            var created = await context.Api.CreateSessionAsync(body, cancellationToken);
            if (!created.TryGetValue(out var session))
            {
                return context.Fail(created.Error);
            }

            var ready = context.Value(noWait) ? session : await WaitAsync(context, session, cancellationToken);

            return ready.TryGetValue(out var final) ? Report(context, final) : context.Fail(ready.Error);
        });

        return command;
    }

    private static async Task<ApiResult<JsonElement>> WaitAsync(ClientContext context, JsonElement session, CancellationToken cancellationToken)
    {
        var id = session.Text("id")!;
        var progress = context.Console.ProgressWriter;
        var clock = Stopwatch.StartNew();
        var explained = false;
        while (session.Text("status") == "provisioning")
        {
            if (!explained && clock.Elapsed > SlowStart)
            {
                explained = true;
                context.Console.WriteNote(
                    $"Waiting for session {id}: the first session of a new config waits for its image to build. " +
                    $"Watch the build with: berth env build {session.Text("environment_id")}");
            }

            progress?.Write($"\rProvisioning {id}  {clock.Elapsed.TotalSeconds:0} s\u001b[K");
            await Task.Delay(PollInterval, cancellationToken);
            var next = await context.Api.GetSessionAsync(id, cancellationToken);
            if (!next.TryGetValue(out session))
            {
                return next.Error;
            }
        }

        progress?.Write("\r\u001b[K");

        return session;
    }

    private static int Report(ClientContext context, JsonElement session)
    {
        var console = context.Console;
        var id = session.Text("id");
        var status = session.Text("status");
        if (console.IsJson)
        {
            console.WriteJson(session);
        }

        if (status is "failed" or "terminated")
        {
            var reason = session.Child("error")?.Text("message") ?? "no reason was given";

            return console.Fail(ExitCodes.Failure, $"Session {id} {status}: {reason}");
        }

        console.WriteLine($"Session {id} is {status}, from environment {session.Text("environment_id")}.");
        if (status == "idle")
        {
            console.WriteLine($"Run a command in it: berth exec {id} -- echo hello");
        }

        return ExitCodes.Success;
    }
}
