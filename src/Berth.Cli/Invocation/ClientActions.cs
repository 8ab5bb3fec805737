using System.CommandLine;
using Berth.Cli.Client;
using Berth.Cli.Configuration;
using Berth.Cli.Output;

namespace Berth.Cli.Invocation;

/// <summary>
/// Runs client commands: resolves the server and token, opens the API, and turns what can go
/// wrong outside the API (bad input, a broken connection, a local file) into exit codes.
/// </summary>
internal static class ClientActions
{
    public static void SetClientAction(this Command command, Func<ClientContext, CancellationToken, Task<int>> action) =>
        command.SetAction((parse, cancellationToken) => RunAsync(parse, action, cancellationToken));

    private static async Task<int> RunAsync(
        ParseResult parse, Func<ClientContext, CancellationToken, Task<int>> action, CancellationToken cancellationToken)
    {
        var console = CliConsole.Create(parse.GetValue(ClientOptions.Json));
        try
        {
            var settings = await ClientSettings.ResolveAsync(
                parse.GetValue(ClientOptions.Url), parse.GetValue(ClientOptions.Token), cancellationToken);
            using var api = new BerthApi(new ApiConnection(settings.Url, settings.Token));

            return await action(new ClientContext(parse, console, api, settings), cancellationToken);
        }
        catch (UsageException error)
        {
            return console.Fail(ExitCodes.Usage, error.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Interrupted;
        }
        catch (HttpIOException error)
        {
            return console.Fail(ExitCodes.Server, $"The connection to the server broke: {error.Message}");
        }
        catch (HttpRequestException error)
        {
            return console.Fail(ExitCodes.Server, $"The connection to the server broke: {error.Message}");
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return console.Fail(ExitCodes.NotFound, error.Message);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return console.Fail(ExitCodes.Failure, error.Message);
        }
    }
}
