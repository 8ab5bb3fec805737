using System.Net;
using System.Net.Sockets;

namespace Berth.Runtime.Tests.Egress.Support;

/// <summary>A UDP listener on this machine that counts the datagrams it receives and answers none.</summary>
public sealed class UdpSink : IAsyncDisposable
{
    private readonly UdpClient _client;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private int _received;

    public UdpSink(IPAddress address, int port)
    {
        _client = new UdpClient(new IPEndPoint(address, port));
        Port = ((IPEndPoint)_client.Client.LocalEndPoint!).Port;
        _loop = ReceiveAsync();
    }

    public int Port { get; }

    public int Received => Volatile.Read(ref _received);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _client.Dispose();
        await _loop;
        _stopping.Dispose();
    }

    private async Task ReceiveAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await _client.ReceiveAsync(_stopping.Token);
                Interlocked.Increment(ref _received);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }
}
