using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Egress;

/// <summary>Accepts connections on one endpoint and handles each on its own task until disposed.</summary>
internal sealed class TcpAcceptLoop : IAsyncDisposable
{
    private const int Backlog = 512;

    private readonly Socket _listener;
    private readonly Func<Socket, CancellationToken, Task> _handleAsync;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    private TcpAcceptLoop(Socket listener, Func<Socket, CancellationToken, Task> handleAsync, ILogger logger)
    {
        _listener = listener;
        _handleAsync = handleAsync;
        _logger = logger;
        _loop = Task.Run(AcceptAsync);
    }

    public static TcpAcceptLoop Start(
        IPEndPoint endpoint, Func<Socket, CancellationToken, Task> handleAsync, ILogger logger)
    {
        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(endpoint);
            listener.Listen(Backlog);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return new TcpAcceptLoop(listener, handleAsync, logger);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            _ = HandleAsync(client);
        }
    }

    private async Task HandleAsync(Socket client)
    {
        var address = (client.RemoteEndPoint as IPEndPoint)?.Address.ToString() ?? "?";
        try
        {
            client.NoDelay = true;
            await _handleAsync(client, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client or the upstream went away, or the gateway is stopping.
        }
        catch (Exception e)
        {
            // One connection's failure must not take the gateway down; it is logged and closed.
            _logger.ConnectionFailed(address, e);
        }
        finally
        {
            client.Dispose();
        }
    }
}
