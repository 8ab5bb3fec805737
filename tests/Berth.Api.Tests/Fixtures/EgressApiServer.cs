using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Api.Tests.Fixtures;

/// <summary>
/// The API host with Docker and a stand-in internet: an HTTP server on a loopback address of its
/// own, which the egress gateway's hosts map names both <c>allowed.test</c> and <c>denied.test</c>.
/// Whether a sandbox gets through is then the policy's doing alone.
/// </summary>
public sealed class EgressApiServer : DockerApiServer, IDisposable
{
    public const string AllowedHost = "allowed.test";
    public const string DeniedHost = "denied.test";
    public const string Greeting = "hello from the test upstream";

    private readonly TcpListener _upstream = new(
        IPAddress.Parse($"127.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.1"), 80);

    private readonly CancellationTokenSource _stop = new();

    /// <summary>How many requests the upstream answered: a denied one must never arrive.</summary>
    public int RequestsAnswered => _answered;

    private int _answered;

    protected override IEnumerable<string> RuntimeSettings(string dataDirectory)
    {
        _upstream.Start();
        _ = ServeAsync(_stop.Token);
        var address = ((IPEndPoint)_upstream.LocalEndpoint).Address;

        return
        [
            .. base.RuntimeSettings(dataDirectory),
            $"--Egress:HostsMap:{AllowedHost}={address}",
            $"--Egress:HostsMap:{DeniedHost}={address}",
        ];
    }

    protected override async Task CleanUpAsync()
    {
        await _stop.CancelAsync();
        _upstream.Stop();
        await base.CleanUpAsync();
    }

    public void Dispose()
    {
        _stop.Dispose();
        _upstream.Dispose();
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var client = await _upstream.AcceptTcpClientAsync(cancellationToken);
                _ = AnswerAsync(client, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task AnswerAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var buffer = new byte[8192];
                var head = "";
                while (!head.Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, cancellationToken);
                    if (read == 0)
                    {
                        return;
                    }

                    head += Encoding.ASCII.GetString(buffer, 0, read);
                }

                var body = Encoding.UTF8.GetBytes(Greeting + "\n");
                var response = $"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(response), cancellationToken);
                await stream.WriteAsync(body, cancellationToken);
                Interlocked.Increment(ref _answered);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // The client went away.
            }
        }
    }
}
