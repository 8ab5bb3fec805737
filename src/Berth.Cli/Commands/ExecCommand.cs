using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Cli.Client;
using Berth.Cli.Commands.Sessions;
using Berth.Cli.Invocation;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth exec SESSION -- COMMAND...</c>: runs a command in a sandbox, passes its output
/// through as it is produced, and exits with the command's own exit code.
/// </summary>
internal static class ExecCommand
{
    public static Command Create()
    {
        var session = SessionCommand.Argument();
        var commandLine = new Argument<string[]>("command")
        {
            Description = "The command after --. One argument runs through bash -lc (pipes and && work); several run as argv.",
            Arity = ArgumentArity.OneOrMore,
        };
        var cwd = new Option<string?>("--cwd", "-w") { Description = "Working directory (default /workspace).", HelpName = "dir" };
        var variables = new Option<string[]>("--env", "-e") { Description = "KEY=VALUE for this command; repeat for more.", HelpName = "key=value" };
        var timeout = new Option<string?>("--timeout")
        {
            Description = "Kill the command after this long, such as 30s or 5m (default 10m).",
            HelpName = "duration",
        };
        var stdin = new Option<bool>("--stdin", "-i") { Description = "Send this process's stdin to the command." };
        var command = new Command("exec", "Run a command in a session; exits with the command's exit code.")
        {
            session, commandLine, cwd, variables, timeout, stdin,
        };
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var words = context.Value(commandLine)!;
            var body = new JsonObject
            {
                ["command"] = words.Length == 1 ? words[0] : new JsonArray([.. words.Select(w => JsonValue.Create(w))]),
            };
            body.SetIfGiven("cwd", context.Value(cwd));
            body.SetIfGiven("env", CommandLineValues.Pairs(context.Value(variables), "--env"));
            if (context.Value(timeout) is { } duration)
            {
                body["timeout_ms"] = (long)CommandLineValues.Duration(duration, "--timeout").TotalMilliseconds;
            }

            if (context.Value(stdin))
            {
                body["stdin"] = await Console.In.ReadToEndAsync(cancellationToken);
            }

            var id = context.Value(session)!;

            return context.Console.IsJson
                ? await RunWholeAsync(context, id, body, cancellationToken)
                : await RunStreamedAsync(context, id, body, cancellationToken);
        });

        return command.WithClientOptions();
    }

    private static async Task<int> RunStreamedAsync(ClientContext context, string sessionId, JsonObject body, CancellationToken cancellationToken)
    {
        var opened = await context.Api.OpenExecAsync(sessionId, body, cancellationToken);
        if (!opened.TryGetValue(out var stream))
        {
            return context.Fail(opened.Error);
        }

        JsonElement? exit = null;
        JsonElement? error = null;
        await using (stream)
        {
            await foreach (var item in stream.ReadAllAsync(cancellationToken))
            {
                if (item.Name == "exit")
                {
                    exit = Parse(item.Data);
                    break;
                }

                // The session ended under the command: the server ends the stream with its error envelope.
                if (item.Name == "error")
                {
                    error = Parse(item.Data);
                    break;
                }

                if (item.Name is "stdout" or "stderr")
                {
                    context.Console.WriteOutput(toError: item.Name == "stderr", Parse(item.Data).Text("data") ?? "");
                }
            }
        }

        if (error is { } envelope && envelope.TryGetProperty("error", out var detail))
        {
            return context.Console.Fail(ExitCodes.Conflict, detail.Text("message") ?? "The session ended under the command.");
        }

        return exit is { } result
            ? ExitCodeOf(context, result)
            : context.Console.Fail(ExitCodes.Server, "The connection ended before the command did; its exit code is unknown.");
    }

    private static async Task<int> RunWholeAsync(ClientContext context, string sessionId, JsonObject body, CancellationToken cancellationToken)
    {
        var ran = await context.Api.ExecAsync(sessionId, body, cancellationToken);
        if (!ran.TryGetValue(out var result))
        {
            return context.Fail(ran.Error);
        }

        context.Console.WriteJson(result);

        return ExitCodeOf(context, result);
    }

    private static int ExitCodeOf(ClientContext context, JsonElement result)
    {
        var exitCode = (int)(result.Number("exit_code") ?? ExitCodes.Failure);
        if (result.Flag("timed_out"))
        {
            var after = result.Number("duration_ms") is { } ms ? string.Create(CultureInfo.InvariantCulture, $" after {ms} ms") : "";
            context.Console.WriteNote($"berth: the command timed out{after} and was killed (exit code {exitCode}).");
        }

        return exitCode;
    }

    private static JsonElement Parse(string data)
    {
        using var document = JsonDocument.Parse(data);

        return document.RootElement.Clone();
    }
}
