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
