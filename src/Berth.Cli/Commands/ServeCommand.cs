using System.CommandLine;
using Berth.Api.Hosting;
using Berth.Cli.Output;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Berth.Cli.Commands;

/// <summary><c>berth serve</c>: runs the API server until stopped.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = $"Where to listen (default {BerthServer.DefaultUrl})." };
        var dataDirectory = StoreSettings.DataDirectoryOption();
        var command = new Command("serve", "Run the Berth API server.") { urls, dataDirectory };
        command.SetAction((parse, cancellationToken) =>
            RunAsync(parse.GetValue(urls), parse.GetValue(dataDirectory), cancellationToken));

        return command;
    }

    private static async Task<int> RunAsync(string? urls, string? dataDirectory, CancellationToken cancellationToken)
    {
        var settings = new List<string>();
        if (urls is not null)
        {
            settings.Add($"--Urls={urls}");
        }

        if (dataDirectory is not null)
        {
            settings.Add($"--Store:DataDirectory={dataDirectory}");
        }

        await using var app = BerthServer.Build([.. settings]);
        var secret = await app.PrepareStoreAsync(cancellationToken);
        if (secret is not null)
        {
            var path = app.Services.GetRequiredService<AdminTokenBootstrap>().TokenPath;
            CliConsole.Create(json: false).WriteLine(
                $"Created the first admin token for account '{AdminTokenBootstrap.DefaultAccount}'. " +
                $"It is shown once and kept in {path} (mode 0600):\n\n    {secret}\n");
        }

        await app.StartAsync(cancellationToken);
        await app.WaitForShutdownAsync(cancellationToken);
        await app.StopAsync(CancellationToken.None);

        return ExitCodes.Success;
    }
}
