using System.Diagnostics;

namespace Berth.Bench.Build;

/// <summary>
/// A <c>berth serve</c> process the bench started, with its store in a folder of its own and a
/// Runtime:InstanceName of its own, so that its images and build containers are told apart from
/// those of any other Berth on this engine and can be removed afterwards.
/// </summary>
internal sealed class BerthServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Task _pumps;

    private BerthServer(Process process, StreamWriter log, string logPath, Uri address)
    {
        _process = process;
        _log = log;
        LogPath = logPath;
        Address = address;
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
    }

    public Uri Address { get; }

    public string LogPath { get; }

    public string Token { get; private set; } = "";

    public static async Task<BerthServer> StartAsync(
        BenchSettings settings, string instanceName, string workDirectory, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(workDirectory, "berth-data");
        var address = new Uri($"http://127.0.0.1:{LoopbackPorts.FindFree()}");
        var start = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] arguments = [settings.BerthDll, "serve", "--urls", $"{address}", "--data-dir", dataDirectory];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in ServerEnvironment(settings, instanceName))
        {
            start.Environment[name] = value;
        }

        var logPath = Path.Combine(workDirectory, "berth.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new BenchFailedException("Could not start berth serve.");
        var server = new BerthServer(process, log, logPath, address);
        try
        {
            await server.WaitUntilReadyAsync(cancellationToken);
            var token = await File.ReadAllTextAsync(Path.Combine(dataDirectory, "admin-token"), cancellationToken);
            server.Token = token.Trim();

            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public string LogText()
    {
        lock (_log)
        {
            using var file = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(file);

            return reader.ReadToEnd();
        }
    }

    public string LogTail(int lines)
    {
        var all = LogText().Split('\n');

        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    /// <summary>Fails the bench when the server is gone, with the end of its log.</summary>
    public void EnsureRunning()
    {
        if (_process.HasExited)
        {
            throw new BenchFailedException(
                $"berth serve exited (code {_process.ExitCode}). Its log ends:\n{LogTail(30)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It had exited already.
        }

        await _process.WaitForExitAsync(CancellationToken.None);
        await _pumps;
        _process.Dispose();
        await _log.DisposeAsync();
    }

    private static Dictionary<string, string> ServerEnvironment(BenchSettings settings, string instanceName)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["BERTH__Runtime__InstanceName"] = instanceName,
            ["BERTH__Runtime__NpmRegistryUrl"] = settings.NpmRegistryUrl,
            // The time of each build step, for the breakdown next to the docker build's steps.
            ["BERTH__Logging__LogLevel__Berth.Runtime.Images.ImageBuildRun"] = "Debug",
        };
        foreach (var (name, value) in settings.ServerEnvironment)
        {
            environment[name] = value;
        }

        return environment;
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            EnsureRunning();
            try
            {
                using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new BenchFailedException(
            $"berth serve did not answer /healthz within {StartTimeout.TotalSeconds:0} s. " +
            $"Its log ends:\n{LogTail(30)}");
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_log)
            {
                _log.WriteLine(line);
            }
        }
    }

    /// <summary>The dotnet host running this bench, so the server runs on the same runtime.</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}
