using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Berth.Cli.Commands;
using Berth.Cli.Commands.Copy;
using Berth.Cli.Commands.Environments;
using Berth.Cli.Commands.Sessions;
using Berth.Cli.Invocation;

namespace Berth.Cli;

/// <summary>The berth command: every subcommand, and the exit code for a line that does not parse.</summary>
internal static class BerthCommandLine
{
    private const string Description = """
        Berth: environments and sandboxes for AI agents, on your own machines.

        Client commands talk to http://127.0.0.1:8080 unless --url, BERTH_URL or berth login say
        otherwise, with the token from --token, BERTH_TOKEN or berth login; when none is set and
        ./.berth/admin-token exists (a server started here by ./run.sh), they use that token.

        Exit codes: 0 done, 1 failed (a build or session), 2 usage or invalid request (400),
        3 authentication or permission (401, 403), 4 not found (404, or a local file),
        5 conflict (409), 6 server error or unreachable (5xx, 503). berth exec exits with the
        command's own code.
        """;

    public static RootCommand Create()
    {
        var root = new RootCommand(Description)
        {
            EnvironmentCommand.Create(),
            SessionCommand.Create(),
            ExecCommand.Create(),
            CopyCommand.Create(),
            EventsCommand.Create(),
            EgressCommand.Create(),
            LoginCommand.Create(),
            CompletionCommand.Create(),
            ServeCommand.Create(),
            TokenCommand.Create(),
        };
        ShowHelpWhenNoSubcommand(root);

        return root;
    }

    public static async Task<int> InvokeAsync(string[] args)
    {
        var parse = Create().Parse(ClientOptions.MoveLeadingOptions(args));
        if (parse.Action is ParseErrorAction)
        {
            // Two missing arguments of one command read the same; each message is said once.
            foreach (var message in parse.Errors.Select(e => e.Message).Distinct())
            {
                await Console.Error.WriteLineAsync($"error: {message}");
            }

            var command = string.Join(' ', parse.CommandResult.Command.Parents().Append(parse.CommandResult.Command.Name));
            await Console.Error.WriteLineAsync($"See: {command} --help");

            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync();
    }

    /// <summary>A command that only groups others shows its help instead of an error.</summary>
    private static void ShowHelpWhenNoSubcommand(Command command)
    {
        if (command.Action is null)
        {
            command.SetAction(parse => new HelpAction().Invoke(parse));
        }

        foreach (var child in command.Subcommands)
        {
            ShowHelpWhenNoSubcommand(child);
        }
    }

    private static IEnumerable<string> Parents(this Command command) =>
        command.Parents.OfType<Command>().SelectMany(p => p.Parents().Append(p.Name));
}
