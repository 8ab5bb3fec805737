using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Berth.Cli.Tests.Fixtures;

/// <summary>A real <c>berth serve</c> process on a free loopback port, with its own data folder.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private bool _disposed;

    private ServerProcess(Process process, string dataDirectory, Uri baseAddress)
    {
        _process = process;
        DataDirectory = dataDirectory;
        BaseAddress = baseAddress;
    }

    public string DataDirectory { get; }

    public Uri BaseAddress { get; }

    public string AdminToken => File.ReadAllText(Path.Combine(DataDirectory, "admin-token")).Trim();

    public static string BerthDll => Path.Combine(AppContext.BaseDirectory, "berth.dll");

    /// <summary>Starts a server; without <paramref name="useDocker"/> it has no container runtime and builds stay pending.</summary>
    public static async Task<ServerProcess> StartAsync(string? dataDirectory = null, bool useDocker = false)
    {
        dataDirectory ??= NewDataDirectory();
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { BerthDll, "serve", "--urls", baseAddress.ToString().TrimEnd('/'), "--data-dir", dataDirectory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (useDocker)
        {
            // An instance of its own, so that its images are its own to remove.
            start.Environment["BERTH__Runtime__InstanceName"] = InstanceNameFor(dataDirectory);
        }
        else
        {
            // Tests about the API process alone: builds would only compete with them for the machine.
            start.Environment["BERTH__Runtime__DockerEndpoint"] = $"unix://{dataDirectory}/no-docker.sock";
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, dataDirectory, baseAddress);
        await server.WaitUntilHealthyAsync();

        return server;
    }

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? AdminToken);

        return client;
    }

    /// <summary>Kills the server at once, as a crash or <c>kill -9</c> would.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"berth serve exited with {_process.ExitCode} before answering.");
            }

            try
            {
                if ((await client.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"berth serve did not answer on {BaseAddress} within 60 s.");
    }

    /// <summary>A path for a new data folder, which a server creates when it starts.</summary>
    public static string NewDataDirectory() =>
        Path.Combine(Path.GetTempPath(), "berth-cli-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>The runtime instance name of a server on this data folder.</summary>
    public static string InstanceNameFor(string dataDirectory) => "test-" + Path.GetFileName(dataDirectory)[^12..];

    /// <summary>Removes the containers (sandboxes, pooled or not) and images of a server on this data folder.</summary>
    public static async Task RemoveLeftoversAsync(string dataDirectory)
    {
        var label = $"label=berth.instance={InstanceNameFor(dataDirectory)}";
        var containers = await DockerIdsAsync(["ps", "-aq", "--filter", label]);
        if (containers.Length > 0)
        {
            await DockerAsync(["rm", "-f", .. containers]);
        }

        // A killed server leaves its firewall chains (named for its instance, inert once their
        // bridges are gone); its sandbox networks would use up the engine's address pools.
        var networks = await DockerIdsAsync(["network", "ls", "-q", "--filter", label]);
        if (networks.Length > 0)
        {
            await DockerAsync(["network", "rm", .. networks]);
        }

        var images = await DockerIdsAsync(["images", "-q", "--filter", label]);
        if (images.Length > 0)
        {
            await DockerAsync(["rmi", "-f", .. images]);
        }
    }

    private static async Task<string[]> DockerIdsAsync(string[] arguments)
    {
        using var list = Process.Start(new ProcessStartInfo("docker", arguments) { RedirectStandardOutput = true })!;
        var ids = (await list.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await list.WaitForExitAsync();

        return ids.Distinct().ToArray();
    }

    private static async Task DockerAsync(string[] arguments)
    {
        using var docker = Process.Start(new ProcessStartInfo("docker", arguments) { RedirectStandardOutput = true })!;
        await docker.StandardOutput.ReadToEndAsync();
        await docker.WaitForExitAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();

        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
