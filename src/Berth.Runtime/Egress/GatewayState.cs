using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Berth.Core.Environments;
using Berth.Runtime.Docker;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Egress;

/// <summary>What starting the gateway needs from it.</summary>
internal sealed record GatewayStart(
    SandboxNetworkSetup Setup,
    EgressFirewall Firewall,
    EgressOptions Options,
    InstanceNames Names,
    SandboxRegistry Registry,
    DecisionRecorder Decisions,
    ILogger Logger)
{
    /// <summary>The authority with which the gateway inspects TLS; null when it does not.</summary>
    public GatewayCertificates? Certificates { get; init; }
}

/// <summary>The running gateway: its two networks, the firewall rules for them and its listeners.</summary>
internal sealed class GatewayState
{
    private const string BridgeFilterSetting = "/proc/sys/net/bridge/bridge-nf-call-iptables";

    private GatewayState(SandboxNetwork confined, SandboxNetwork open, FirewallRules rules, GatewayListeners listeners)
    {
        Confined = confined;
        Open = open;
        Rules = rules;
        Listeners = listeners;
    }

    public SandboxNetwork Confined { get; }

    public SandboxNetwork Open { get; }

    public FirewallRules Rules { get; }

    public GatewayListeners Listeners { get; }

    public SandboxNetwork NetworkFor(NetworkingConfig networking) =>
        networking.Type == NetworkingType.Unrestricted ? Open : Confined;

    /// <summary>Networks, then the firewall, then the listeners: no sandbox is ever on an unguarded network.</summary>
    public static async Task<(GatewayState? State, string? Problem)> StartAsync(
        GatewayStart start, CancellationToken cancellationToken)
    {
        SandboxNetwork confined, open;
        try
        {
            (confined, open) = await start.Setup.EnsureAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RuntimeUnavailableException or RuntimeOperationException
            or InvalidOperationException)
        {
            return (null, e.Message);
        }

        var options = start.Options;
        var addresses = AddressRules.ForThisHost([confined.Subnet, open.Subnet], options.AllowedPrivateRanges);
        var rules = new FirewallRules(new FirewallLayout(
            start.Names.ChainPrefix, confined, open, addresses, options.ProxyPort, options.TransparentPort,
            options.PacketLogGroup ?? start.Names.LogGroup));
        var problem = await start.Firewall.InstallAsync(rules, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return (null, problem);
        }

        WarnWhenBridgeUnfiltered(start.Logger);
        try
        {
            var listeners = await GatewayListeners.StartAsync(
                Parts(start, addresses), [confined, open], cancellationToken).ConfigureAwait(false);
            return (new GatewayState(confined, open, rules, listeners), null);
        }
        catch (SocketException e)
        {
            return (null, $"the gateway could not listen on the sandbox networks' gateways: {e.Message}");
        }
    }

    private static GatewayParts Parts(GatewayStart start, AddressRules addresses)
    {
        var hostsMap = start.Options.HostsMap.ToDictionary(
            e => e.Key.TrimEnd('.').ToLowerInvariant(), e => IPAddress.Parse(e.Value),
            StringComparer.OrdinalIgnoreCase);
        var resolver = new UpstreamResolver(hostsMap, addresses);
        var forwarder = new EgressForwarder(resolver, start.Decisions, start.Options, start.Logger);
        if (start.Certificates is { } certificates)
        {
            var roots = new X509Certificate2Collection();
            foreach (var path in start.Options.TrustedUpstreamCertificates)
            {
                roots.ImportFromPemFile(path);
            }

            forwarder.Inspection = new TlsInspection(
                certificates, roots, forwarder, start.Decisions, start.Options, start.Logger);
        }

        return new GatewayParts(
            start.Options, start.Names, start.Registry, resolver, start.Decisions,
            new ProxyConnections(start.Registry, forwarder, start.Decisions, start.Logger),
            new RedirectedConnections(start.Registry, forwarder, start.Logger),
            packet => Report(start.Registry, start.Decisions, packet),
            start.Logger);
    }

    private static void Report(SandboxRegistry registry, DecisionRecorder decisions, FirewallPacket packet)
    {
        var session = registry.Find(packet.Source);
        if (session is null)
        {
            return;
        }

        var verdict = packet.WasAllowed
            ? new PolicyVerdict(true, EgressRules.Unrestricted)
            : new PolicyVerdict(false, EgressRules.DefaultDeny);
        decisions.Record(session, packet.Destination.ToString(), packet.DestinationPort, packet.ProtocolName, verdict);
    }

    // Without bridge netfilter, packets between two sandboxes on one bridge never meet iptables.
    private static void WarnWhenBridgeUnfiltered(ILogger logger)
    {
        var setting = File.Exists(BridgeFilterSetting) ? File.ReadAllText(BridgeFilterSetting).Trim() : "";
        if (setting != "1")
        {
            logger.BridgeFilteringOff();
        }
    }
}
