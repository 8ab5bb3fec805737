using System.CommandLine;
using System.Text.Json.Nodes;
using Berth.Cli.Client;
using Berth.Cli.Configuration;
using Berth.Cli.Invocation;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth login</c>: checks a server URL and token against the server and saves them in the
/// user's config, so that later commands need neither flags nor environment variables.
/// </summary>
internal static class LoginCommand
{
    public static Command Create()
    {
        var tokenStdin = new Option<bool>("--token-stdin") { Description = "Read the token from stdin (keeps it out of shell history)." };
        var command = new Command("login",
            $"Save a server URL and token in {UserConfig.FilePath} (mode 0600) after checking them. " +
            "Without --token it uses BERTH_TOKEN, then ./.berth/admin-token, then asks.")
        {
            tokenStdin,
        };
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var token = context.Value(tokenStdin)
                ? (await Console.In.ReadToEndAsync(cancellationToken)).Trim()
                : context.Value(ClientOptions.Token)
                    ?? Environment.GetEnvironmentVariable(ClientSettings.TokenVariable)
                    ?? await ClientSettings.ReadLocalAdminTokenAsync(cancellationToken)
                    ?? Prompt();
            if (string.IsNullOrWhiteSpace(token))
            {
                throw new UsageException("Give a token: --token, --token-stdin, or BERTH_TOKEN. berth serve prints the first one.");
            }

            return await CheckAndSaveAsync(context, context.Settings.Url, token.Trim(), cancellationToken);
        });

        return command.WithClientOptions();
    }

    private static async Task<int> CheckAndSaveAsync(ClientContext context, Uri url, string token, CancellationToken cancellationToken)
    {
        using var api = new BerthApi(new ApiConnection(url, token));
        var checkedToken = await api.ListEnvironmentsAsync(new ListQuery(limit: 1), cancellationToken);
        if (!checkedToken.TryGetValue(out _))
        {
            return context.Console.Fail(checkedToken.Error, checkedToken.Error.Status == 401
                ? "Nothing was saved. berth serve prints the first admin token; berth token create makes more."
                : "Nothing was saved.");
        }

        await new UserConfig(url.ToString().TrimEnd('/'), token).SaveAsync(cancellationToken);
        if (context.Console.IsJson)
        {
            context.Console.WriteJson(new JsonObject { ["url"] = url.ToString().TrimEnd('/'), ["config_path"] = UserConfig.FilePath });
        }
        else
        {
            context.Console.WriteLine($"Logged in to {url.ToString().TrimEnd('/')}. Saved the URL and token in {UserConfig.FilePath}.");
        }

        return ExitCodes.Success;
    }

    /// <summary>Asks for the token at a terminal without echoing it; null when nobody is there to ask.</summary>
    private static string? Prompt()
    {
        if (Console.IsInputRedirected || Console.IsErrorRedirected)
        {
            return null;
        }

        Console.Error.Write("Token: ");
        var token = new System.Text.StringBuilder();
        while (Console.ReadKey(intercept: true) is var key && key.Key != ConsoleKey.Enter)
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                token.Length = Math.Max(0, token.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                token.Append(key.KeyChar);
            }
        }

        Console.Error.WriteLine();

        return token.Length > 0 ? token.ToString() : null;
    }
}
