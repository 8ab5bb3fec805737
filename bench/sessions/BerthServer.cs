using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Berth.Bench.Sessions;

/// <summary>
/// A <c>berth serve</c> process with a data folder and runtime instance of its own, so that
/// everything it makes in the engine can be found by label and removed when it stops.
/// </summary>
internal sealed class BerthServer : IAsyncDisposable
{
    private readonly Process _process;

    private BerthServer(Process process, string dataDirectory, string instance, Uri address)
    {
        _process = process;
        DataDirectory = dataDirectory;
        Instance = instance;
        Address = address;
    }

    public string DataDirectory { get; }

    public string Instance { get; }

    public Uri Address { get; }

    public static async Task<BerthServer> StartAsync(string berthDll, int poolSize, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "berth-bench-sessions-" + Guid.NewGuid().ToString("N")[..12]);
        var instance = "bench-" + Path.GetFileName(dataDirectory)[^12..];
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { berthDll, "serve", "--urls", address.ToString().TrimEnd('/'), "--data-dir", dataDirectory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["BERTH__Runtime__InstanceName"] = instance;
        start.Environment["BERTH__Sandboxes__PoolSize"] = poolSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new BerthServer(process, dataDirectory, instance, address);
        await server.WaitUntilHealthyAsync(cancellationToken);

        return server;
    }

    public HttpClient NewClient()
    {
        var token = File.ReadAllText(Path.Combine(DataDirectory, "admin-token")).Trim();
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(20) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        await EngineLeftovers.RemoveAsync(Instance);
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"berth serve exited with {_process.ExitCode} at start.");
            }

            try
            {
                if ((await client.GetAsync("/healthz", cancellationToken)).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"berth serve did not answer on {Address} within 60 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();

        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
