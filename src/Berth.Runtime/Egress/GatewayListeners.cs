using System.Net;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Egress;

/// <summary>
/// Everything of the gateway that listens: the DNS server and the proxy on each sandbox
/// network's gateway address, the redirect target on the confined one, and the packet log.
/// </summary>
internal sealed class GatewayListeners : IAsyncDisposable
{
    private readonly List<EgressDnsServer> _dnsServers = [];
    private readonly List<TcpAcceptLoop> _acceptLoops = [];
    private PacketLog? _packetLog;

    public static async Task<GatewayListeners> StartAsync(
        GatewayParts parts, IReadOnlyList<SandboxNetwork> networks, CancellationToken cancellationToken)
    {
        var listeners = new GatewayListeners();
        try
        {
            foreach (var network in networks)
            {
                listeners.Listen(parts, network);
            }

            var (log, problem) = await PacketLog.OpenAsync(
                parts.Options.PacketLogGroup ?? parts.Names.LogGroup, parts.OnPacket, parts.Logger,
                cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                parts.Logger.PacketLogUnavailable(problem);
            }

            listeners._packetLog = log;

            return listeners;
        }
        catch
        {
            await listeners.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _dnsServers)
        {
            server.Dispose();
        }

        foreach (var loop in _acceptLoops)
        {
            await loop.DisposeAsync().ConfigureAwait(false);
        }

        if (_packetLog is not null)
        {
            await _packetLog.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Listen(GatewayParts parts, SandboxNetwork network)
    {
        var dns = new EgressDnsServer(network, parts.Registry, parts.Resolver, parts.Decisions, parts.Logger);
        _dnsServers.Add(dns);
        dns.Start();

        var proxy = new IPEndPoint(network.Gateway, parts.Options.ProxyPort);
        _acceptLoops.Add(TcpAcceptLoop.Start(proxy, parts.Proxy.HandleAsync, parts.Logger));
        if (network.IsConfined)
        {
            var redirected = new IPEndPoint(network.Gateway, parts.Options.TransparentPort);
            _acceptLoops.Add(TcpAcceptLoop.Start(redirected, parts.Redirected.HandleAsync, parts.Logger));
        }

        parts.Logger.GatewayListening(network.Name, network.Gateway.ToString(), parts.Options.ProxyPort);
    }
}

/// <summary>The pieces the listeners hand connections, queries and packets to.</summary>
internal sealed record GatewayParts(
    EgressOptions Options,
    InstanceNames Names,
    SandboxRegistry Registry,
    UpstreamResolver Resolver,
    DecisionRecorder Decisions,
    ProxyConnections Proxy,
    RedirectedConnections Redirected,
    Action<FirewallPacket> OnPacket,
    ILogger Logger);
