namespace Berth.Cli.Tests.Fixtures;

/// <summary>A real <c>berth serve</c> with Docker, shared by the tests of one class, and removed with all it made.</summary>
public sealed class CliServer : IAsyncLifetime
{
    private readonly string _dataDirectory = ServerProcess.NewDataDirectory();
    private ServerProcess? _server;

    public ServerProcess Server => _server ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>A command line pointed at this server with its admin token, through BERTH_URL and BERTH_TOKEN.</summary>
    public CommandLine NewCommandLine()
    {
        var commandLine = new CommandLine();
        commandLine.Variables["BERTH_URL"] = Server.BaseAddress.ToString();
        commandLine.Variables["BERTH_TOKEN"] = Server.AdminToken;

        return commandLine;
    }

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(_dataDirectory, useDocker: true);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await ServerProcess.RemoveLeftoversAsync(_dataDirectory);
    }
}
