using System.Net.Sockets;

namespace Berth.Bench.Api;

/// <summary>Starts the two servers under test and waits until each one answers.</summary>
internal static class Servers
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Starts <c>berth serve</c> on a free port, its store under <paramref name="workDirectory"/>.</summary>
    /// <returns>The process and the admin token it made on first start.</returns>
    public static async Task<(ChildProcess Process, string Token)> StartBerthAsync(
        BenchSettings settings, string workDirectory, CancellationToken cancellationToken)
    {
        var port = LoopbackPorts.FindFree();
        var dataDirectory = Path.Combine(workDirectory, "berth-data");
        string[] command =
        [
            DotnetHost(), settings.BerthDll, "serve",
            "--urls", $"http://127.0.0.1:{port}", "--data-dir", dataDirectory,
        ];
        var log = Path.Combine(workDirectory, "berth.log");
        var process = ChildProcess.Start("berth", port, command, log, BerthEnvironment(settings, workDirectory));
        try
        {
            await WaitUntilReadyAsync(process, "/healthz", cancellationToken);
            var tokenPath = Path.Combine(dataDirectory, "admin-token");
            var token = (await File.ReadAllTextAsync(tokenPath, cancellationToken)).Trim();

            return (process, token);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>Starts this program's bare endpoint, answering every GET by id with <paramref name="body"/>.</summary>
    public static async Task<ChildProcess> StartBareAsync(
        BenchSettings settings, string workDirectory, byte[] body, CancellationToken cancellationToken)
    {
        var port = LoopbackPorts.FindFree();
        var bodyPath = Path.Combine(workDirectory, "bare-body.json");
        await File.WriteAllBytesAsync(bodyPath, body, cancellationToken);
        string[] command =
        [
            DotnetHost(), typeof(Servers).Assembly.Location, "bare",
            "--port", $"{port}", "--body", bodyPath, "--parent-pid", $"{Environment.ProcessId}",
        ];
        var process = ChildProcess.Start(
            "bare", port, command, Path.Combine(workDirectory, "bare.log"), settings.ServerEnvironment);
        try
        {
            await WaitUntilReadyAsync(process, "/v1/environments/env_ready", cancellationToken);

            return process;
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The bench's settings for berth: by default a Docker endpoint that does not exist, because
    /// every create queues an image build, and a real build (a base image, then apt) would take
    /// the CPU that the API is measured on. The settings from --server-env win.
    /// </summary>
    private static Dictionary<string, string> BerthEnvironment(BenchSettings settings, string workDirectory)
    {
        var environment = new Dictionary<string, string>();
        if (!settings.WithRuntime)
        {
            environment["Runtime__DockerEndpoint"] = $"unix://{Path.Combine(workDirectory, "no-docker.sock")}";
        }

        foreach (var (key, value) in settings.ServerEnvironment)
        {
            environment[key] = value;
        }

        return environment;
    }

    private static async Task WaitUntilReadyAsync(
        ChildProcess process, string path, CancellationToken cancellationToken)
    {
        var request = HttpRequests.Get(process.Port, path, token: null);
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new BenchFailedException(
                    $"The {process.Name} server exited while starting. Its log ends:\n{process.LogTail(30)}");
            }

            try
            {
                using var connection = await HttpConnection.OpenAsync(process.Port, cancellationToken);
                if (await connection.SendAsync(request, cancellationToken) == 200)
                {
                    return;
                }
            }
            catch (Exception error) when (error is SocketException or IOException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new BenchFailedException(
            $"The {process.Name} server did not answer {path} within {StartTimeout.TotalSeconds:0} s. " +
            $"Its log ends:\n{process.LogTail(30)}");
    }

    /// <summary>The dotnet host running this bench, so the servers run on the same runtime.</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}
