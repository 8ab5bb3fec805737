using System.Net;
using System.Net.Sockets;

namespace Berth.Runtime.Egress;

/// <summary>Connections the gateway opens to upstreams in user space, and how their failures read.</summary>
internal static class UpstreamSockets
{
    public static string Refused(IPEndPoint endpoint, SocketError error) =>
        $"connecting to {endpoint.Address}:{endpoint.Port} failed ({error})";

    public static string Silent(IPEndPoint endpoint, TimeSpan timeout) =>
        $"{endpoint.Address}:{endpoint.Port} did not answer within {timeout.TotalSeconds:0.#} s";

    /// <summary>A connected socket, or why there is none.</summary>
    public static async Task<(Socket? Socket, string? Problem)> ConnectAsync(
        IPEndPoint endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(endpoint, deadline.Token).ConfigureAwait(false);

            return (socket, null);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            return (null, Refused(endpoint, e.SocketErrorCode));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            return (null, Silent(endpoint, timeout));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
