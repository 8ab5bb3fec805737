using System.CommandLine;
using Berth.Cli.Configuration;

namespace Berth.Cli.Invocation;

/// <summary>The options every client command takes: which server, which token, and JSON output.</summary>
internal static class ClientOptions
{
    public static readonly Option<string?> Url = new("--url")
    {
        Description = $"The Berth server (default: {ClientSettings.UrlVariable}, then berth login's, then {ClientSettings.DefaultUrl}).",
        HelpName = "url",
        Recursive = true,
    };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = $"The API token (default: {ClientSettings.TokenVariable}, then berth login's, then ./.berth/admin-token).",
        HelpName = "token",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print only JSON on stdout, as the API returns it.",
        Recursive = true,
    };

    /// <summary>
    /// Moves client options written before the command (<c>berth --url URL env list</c>) to just
    /// after its first word, where the command, which owns them, parses them.
    /// </summary>
    public static string[] MoveLeadingOptions(string[] args)
    {
        var end = 0;
        while (end < args.Length)
        {
            var word = args[end];
            if (word == Json.Name || IsValued(word) && word.Contains('=', StringComparison.Ordinal))
            {
                end += 1;
            }
            else if (IsValued(word) && end + 1 < args.Length)
            {
                end += 2;
            }
            else
            {
                break;
            }
        }

        return end == 0 || end == args.Length
            ? args
            : [args[end], .. args[..end], .. args[(end + 1)..]];
    }

    private static bool IsValued(string word) =>
        word.Split('=', 2)[0] is var name && (name == Url.Name || name == Token.Name);

    /// <summary>Adds the client options to a top-level command; its subcommands inherit them.</summary>
    public static T WithClientOptions<T>(this T command)
        where T : Command
    {
        command.Options.Add(Url);
        command.Options.Add(Token);
        command.Options.Add(Json);

        return command;
    }
}
