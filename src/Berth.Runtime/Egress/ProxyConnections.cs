using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Egress;

/// <summary>
/// The gateway as an HTTP proxy, for clients that honour proxy settings: CONNECT tunnels and
/// absolute-URI requests. Every host a request names (the target, its Host header, and the TLS
/// server name or Host header inside a tunnel) must be allowed, so that naming an allowed host
/// in one place does not carry a denied one through in another.
/// </summary>
internal sealed class ProxyConnections(SandboxRegistry registry, EgressForwarder forwarder, DecisionRecorder decisions, ILogger logger)
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    public async Task HandleAsync(Socket client, CancellationToken cancellationToken)
    {
        var source = ((IPEndPoint)client.RemoteEndPoint!).Address;
        var session = registry.Find(source);
        if (session is null)
        {
            logger.UnknownSource(source.ToString());
            EgressForwarder.Reset(client);
            return;
        }

        var start = await ConnectionStart.ReadAsync(client, ReadOnlyMemory<byte>.Empty, ReadTimeout, cancellationToken)
            .ConfigureAwait(false);
        if (start.Http is not { } head)
        {
            EgressForwarder.Reset(client);
            return;
        }

        var task = head.Method == "CONNECT"
            ? TunnelAsync(client, session, start, head, cancellationToken)
            : ForwardRequestAsync(client, session, start, head, cancellationToken);
        await task.ConfigureAwait(false);
    }

    private async Task ForwardRequestAsync(
        Socket client, SandboxSession session, ConnectionStart start, HttpRequestHead head,
        CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(head.Target, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            var problem = "send plain HTTP requests in absolute form (http://host/path) and tunnel TLS with CONNECT";
            await EgressForwarder.SendAndCloseAsync(client, RefusalResponses.BadRequest(problem), cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (await RefuseOtherNameAsync(client, session, EgressProtocols.Http, host, uri.Port, start.Host, cancellationToken)
            .ConfigureAwait(false))
        {
            return;
        }

        byte[] first = [.. head.ToUpstreamForm(uri.PathAndQuery, uri.Authority), .. start.Bytes.Span[start.HeadLength..]];
        await forwarder.RunAsync(client, session, EgressProtocols.Http, host, uri.Port, first, cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task TunnelAsync(
        Socket client, SandboxSession session, ConnectionStart start, HttpRequestHead head,
        CancellationToken cancellationToken)
    {
        if (HostAndPort.Parse(head.Target, 443) is not { } target)
        {
            await EgressForwarder.SendAndCloseAsync(
                client, RefusalResponses.BadRequest("CONNECT needs host:port"), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (await RefuseOtherNameAsync(client, session, EgressProtocols.Http, target.Host, target.Port, start.Host, cancellationToken)
            .ConfigureAwait(false))
        {
            return;
        }

        var (verdict, reason) = forwarder.Decide(session, target.Host, target.Port);
        if (!verdict.IsAllowed)
        {
            decisions.Record(session, target.Host, target.Port, EgressProtocols.Http, verdict);
            await EgressForwarder.RefuseAsync(client, true, target.Host, target.Port, verdict.Rule, reason, cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        await client.SendAsync(RefusalResponses.ConnectionEstablished(), SocketFlags.None, cancellationToken)
            .ConfigureAwait(false);
        var inner = await ConnectionStart.ReadAsync(client, start.Bytes[start.HeadLength..], ReadTimeout, cancellationToken)
            .ConfigureAwait(false);
        if (await RefuseOtherNameAsync(client, session, inner.Protocol, target.Host, target.Port, inner.Host, cancellationToken)
            .ConfigureAwait(false))
        {
            return;
        }

        await forwarder.RunAsync(client, session, inner.Protocol, target.Host, target.Port, inner.Bytes, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Refuses, and returns true, when <paramref name="otherName"/> names another host that is denied.</summary>
    private async Task<bool> RefuseOtherNameAsync(
        Socket client, SandboxSession session, string protocol, string host, int port, string? otherName,
        CancellationToken cancellationToken)
    {
        if (otherName is null || otherName == host)
        {
            return false;
        }

        var (verdict, reason) = forwarder.Decide(session, otherName, port);
        if (verdict.IsAllowed)
        {
            return false;
        }

        decisions.Record(session, otherName, port, protocol, verdict);
        await EgressForwarder.RefuseAsync(client, protocol == EgressProtocols.Http, otherName, port, verdict.Rule,
            $"{reason}, though the request also names {host}", cancellationToken).ConfigureAwait(false);

        return true;
    }
}
