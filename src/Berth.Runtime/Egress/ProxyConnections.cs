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
internal sealed class ProxyConnections(
    SandboxRegistry registry, EgressForwarder forwarder, DecisionRecorder decisions, ILogger logger)
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

        if (!forwarder.TryAdmit(client, session))
        {
            return;
        }

        try
        {
            var start = await ConnectionStart.ReadAsync(
                client, ReadOnlyMemory<byte>.Empty, ReadTimeout, cancellationToken).ConfigureAwait(false);
            if (start.Http is not { } head)
            {
                EgressForwarder.Reset(client);
                return;
            }

            var request = new ProxyRequest(client, session, start, head, cancellationToken);
            var task = head.Method == "CONNECT" ? TunnelAsync(request) : ForwardRequestAsync(request);
            await task.ConfigureAwait(false);
        }
        finally
        {
            forwarder.Release(session);
        }
    }

    private async Task ForwardRequestAsync(ProxyRequest request)
    {
        var (client, session, start, head, cancellationToken) = request;
        if (!Uri.TryCreate(head.Target, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            var problem = "send plain HTTP requests in absolute form (http://host/path) and tunnel TLS with CONNECT";
            await EgressForwarder.SendAndCloseAsync(client, RefusalResponses.BadRequest(problem), cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (await RefuseOtherNameAsync(request, EgressProtocols.Http, host, uri.Port, start.Host)
            .ConfigureAwait(false))
        {
            return;
        }

        var body = start.Bytes.Span[start.HeadLength..];
        byte[] first = [.. head.ToUpstreamForm(uri.PathAndQuery, uri.Authority), .. body];
        await forwarder.RunAsync(client, session, EgressProtocols.Http, host, uri.Port, first, cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task TunnelAsync(ProxyRequest request)
    {
        var (client, session, start, head, cancellationToken) = request;
        if (HostAndPort.Parse(head.Target, 443) is not { } target)
        {
            var response = RefusalResponses.BadRequest("CONNECT needs host:port");
            await EgressForwarder.SendAndCloseAsync(client, response, cancellationToken).ConfigureAwait(false);
            return;
        }

        var (host, port) = target;
        if (await RefuseOtherNameAsync(request, EgressProtocols.Http, host, port, start.Host).ConfigureAwait(false))
        {
            return;
        }

        var (verdict, reason) = forwarder.Decide(session, host, port);
        if (!verdict.IsAllowed)
        {
            decisions.Record(session, host, port, EgressProtocols.Http, verdict);
            await EgressForwarder.RefuseAsync(client, true, host, port, verdict.Rule, reason, cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        // A target the gateway never connects to (this machine, private ranges, other sandboxes)
        // is refused before the tunnel is promised, not by a reset after it.
        var lookup = await forwarder.ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        if (lookup.IsClosed)
        {
            var closed = new PolicyVerdict(false, EgressRules.DefaultDeny);
            decisions.Record(session, host, port, EgressProtocols.Http, closed);
            await EgressForwarder.RefuseAsync(
                client, true, host, port, closed.Rule, lookup.Problem!, cancellationToken).ConfigureAwait(false);
            return;
        }

        await client.SendAsync(RefusalResponses.ConnectionEstablished(), SocketFlags.None, cancellationToken)
            .ConfigureAwait(false);
        var inner = await ConnectionStart.ReadAsync(
            client, start.Bytes[start.HeadLength..], ReadTimeout, cancellationToken).ConfigureAwait(false);
        if (inner.Kind == StartKind.MalformedHttp)
        {
            // Its Host header cannot be checked, so it does not go through.
            var refused = new PolicyVerdict(false, EgressRules.DefaultDeny);
            decisions.Record(session, host, port, EgressProtocols.Http, refused);
            var response = RefusalResponses.BadRequest("the request in the tunnel is not well-formed HTTP/1.1");
            await EgressForwarder.SendAndCloseAsync(client, response, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (inner.Kind == StartKind.Other && session.Policy.IsConfined)
        {
            // Neither TLS nor HTTP (or nothing within the read timeout): no name inside to check,
            // so a confined sandbox's tunnel carries only what names its host.
            var opaque = new PolicyVerdict(false, EgressRules.DefaultDeny);
            decisions.Record(session, host, port, EgressProtocols.Tcp, opaque);
            EgressForwarder.Reset(client);
            return;
        }

        if (await RefuseOtherNameAsync(request, inner.Protocol, host, port, inner.Host).ConfigureAwait(false))
        {
            return;
        }

        // As on a redirected connection: an HTTP request's target must be allowed too, and one request goes.
        await forwarder.ForwardAsync(client, session, inner, host, port, cancellationToken).ConfigureAwait(false);
    }

    private Task<bool> RefuseOtherNameAsync(
        ProxyRequest request, string protocol, string host, int port, string? otherName) =>
        forwarder.RefuseOtherNameAsync(
            request.Client, request.Session, protocol, host, port, otherName, request.CancellationToken);

    private sealed record ProxyRequest(
        Socket Client, SandboxSession Session, ConnectionStart Start, HttpRequestHead Head,
        CancellationToken CancellationToken);
}
