using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Egress;

/// <summary>Log messages of the egress gateway, with stable event ids from 3500.</summary>
internal static partial class EgressLog
{
    [LoggerMessage(3500, LogLevel.Information,
        "Egress gateway serving network {Network} at {Gateway}: DNS on 53, proxy on {ProxyPort}")]
    public static partial void GatewayListening(this ILogger logger, string network, string gateway, int proxyPort);

    [LoggerMessage(3501, LogLevel.Information,
        "Egress denied for session {SessionId}: {Protocol} {Host}:{Port} ({Rule})")]
    public static partial void Denied(
        this ILogger logger, string sessionId, string protocol, string host, int port, string rule);

    [LoggerMessage(3502, LogLevel.Debug,
        "Egress allowed for session {SessionId}: {Protocol} {Host}:{Port} ({Rule})")]
    public static partial void Allowed(
        this ILogger logger, string sessionId, string protocol, string host, int port, string rule);

    [LoggerMessage(3503, LogLevel.Warning,
        "Egress traffic from {Address}, which belongs to no registered session, was refused")]
    public static partial void UnknownSource(this ILogger logger, string address);

    [LoggerMessage(3504, LogLevel.Warning,
        "Upstream {Host}:{Port} not reached for session {SessionId}: {Reason}")]
    public static partial void UpstreamFailed(
        this ILogger logger, string sessionId, string host, int port, string reason);

    [LoggerMessage(3514, LogLevel.Warning,
        "Session {SessionId} has {Limit} connections open to the gateway, its limit; further ones are reset")]
    public static partial void TooManyConnections(this ILogger logger, string sessionId, int limit);

    [LoggerMessage(3515, LogLevel.Warning,
        "The egress gateway has {Limit} connections open, its limit (Egress:MaxConnections); further ones are reset")]
    public static partial void GatewayFull(this ILogger logger, int limit);

    [LoggerMessage(3505, LogLevel.Error, "Egress connection from {Address} failed")]
    public static partial void ConnectionFailed(this ILogger logger, string address, Exception exception);

    [LoggerMessage(3506, LogLevel.Warning,
        "Packets that the firewall drops are not reported as egress decisions: {Reason}")]
    public static partial void PacketLogUnavailable(this ILogger logger, string reason);

    [LoggerMessage(3507, LogLevel.Information,
        "Firewall rules for the sandbox networks installed in chains {Chains}")]
    public static partial void FirewallInstalled(this ILogger logger, string chains);

    [LoggerMessage(3508, LogLevel.Information, "Firewall rules and sandbox networks of this instance removed")]
    public static partial void TornDown(this ILogger logger);

    [LoggerMessage(3509, LogLevel.Error, "Egress DNS server failed")]
    public static partial void DnsServerFailed(this ILogger logger, Exception exception);

    [LoggerMessage(3510, LogLevel.Information, "Session {SessionId} registered with the egress gateway at {Address}")]
    public static partial void SessionRegistered(this ILogger logger, string sessionId, string address);

    [LoggerMessage(3511, LogLevel.Information, "Session {SessionId} unregistered from the egress gateway")]
    public static partial void SessionUnregistered(this ILogger logger, string sessionId);

    [LoggerMessage(3512, LogLevel.Warning, "Egress gateway could not start: {Reason}")]
    public static partial void GatewayUnavailable(this ILogger logger, string reason);

    [LoggerMessage(3513, LogLevel.Warning,
        "The bridge does not pass its traffic through iptables (bridge-nf-call-iptables is not 1); "
        + "sandboxes on one network are not kept apart")]
    public static partial void BridgeFilteringOff(this ILogger logger);

    [LoggerMessage(3516, LogLevel.Information,
        "A sandbox's TLS to {Host} did not complete with the gateway's certificate: {Reason}")]
    public static partial void InspectionHandshakeFailed(this ILogger logger, string host, string reason);

    [LoggerMessage(3517, LogLevel.Warning,
        "Session {SessionId} made egress decisions faster than Egress:MaxDecisionsPerSecond allows; "
        + "{Count} went unrecorded since the last warning")]
    public static partial void DecisionsUnrecorded(this ILogger logger, string sessionId, long count);

    [LoggerMessage(3518, LogLevel.Warning,
        "Network {Network} has no container left, but the engine keeps an endpoint of one that is gone; "
        + "it goes when the engine restarts")]
    public static partial void NetworkKept(this ILogger logger, string network);
}
