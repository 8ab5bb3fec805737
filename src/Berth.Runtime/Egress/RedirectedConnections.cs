using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Egress;

/// <summary>
/// Connections that the firewall redirected from the confined network to the gateway, whatever
/// address and port the sandbox aimed at. The host comes from the TLS server name or the HTTP
/// Host header; a connection that names none is judged by its address, which the policy of a
/// confined sandbox never allows. A plain HTTP request also answers for the host its target
/// names, and goes upstream with <c>Connection: close</c>: the connection carries that one
/// request, so that a next one on it cannot name another host behind the allowed one's address.
/// </summary>
internal sealed class RedirectedConnections(SandboxRegistry registry, EgressForwarder forwarder, ILogger logger)
{
    // HTTP and TLS clients speak first, at once; a refusal only waits briefly to learn the name it refuses.
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RefusalReadTimeout = TimeSpan.FromSeconds(1);

    public async Task HandleAsync(Socket client, CancellationToken cancellationToken)
    {
        var source = ((IPEndPoint)client.RemoteEndPoint!).Address;
        var session = registry.Find(source);
        var original = OriginalDestination.Read(client);
        if (session is null || original is null)
        {
            logger.UnknownSource(source.ToString());
            EgressForwarder.Reset(client);
            return;
        }

        if (!forwarder.TryAdmit(client, session))
        {
            return;
        }

        try
        {
            var timeout = forwarder.IsForwarded(original.Port) ? ReadTimeout : RefusalReadTimeout;
            var start = await ConnectionStart.ReadAsync(client, ReadOnlyMemory<byte>.Empty, timeout, cancellationToken)
                .ConfigureAwait(false);
            var host = start.Host ?? original.Address.ToString();
            await forwarder.ForwardAsync(client, session, start, host, original.Port, cancellationToken)
                .ConfigureAwait(false);
        }
        finally
        {
            forwarder.Release(session);
        }
    }
}
