using System.Net;
using System.Net.Sockets;
using Berth.Core.Environments;
using Berth.Runtime.Docker;
using Berth.Runtime.Egress;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Berth.Runtime;

// The egress gateway's part of AddBerthRuntime, configured by EgressOptions.
public static partial class RuntimeServiceCollectionExtensions
{
    private static void AddEgress(IServiceCollection services)
    {
        services.AddOptions<EgressOptions>()
            .Validate(o => o.HostsMap.Values.All(IsIPv4), "Egress:HostsMap values must be IPv4 addresses.")
            .Validate(o => o.PackageManagerHosts.Concat(o.McpServerHosts).All(HostPatterns.IsValid),
                $"Egress:PackageManagerHosts and Egress:McpServerHosts must be host patterns: {HostPatterns.Accepted}.")
            .Validate(o => o.AllowedPrivateRanges.All(r => IPNetwork.TryParse(r, out var n)
                    && n.BaseAddress.AddressFamily == AddressFamily.InterNetwork),
                "Egress:AllowedPrivateRanges must be IPv4 ranges in CIDR form, such as 10.20.0.0/16.")
            .Validate(o => o.ForwardedPorts.All(IsPort) && IsPort(o.ProxyPort) && IsPort(o.TransparentPort),
                "Egress:ForwardedPorts, ProxyPort and TransparentPort must be ports (1-65535).")
            .Validate(o => o.ProxyPort != o.TransparentPort && o.ProxyPort != 53 && o.TransparentPort != 53,
                "Egress:ProxyPort and TransparentPort must differ from each other and from 53 (DNS).")
            .Validate(o => o.PacketLogGroup is null or (> 0 and <= 65535),
                "Egress:PacketLogGroup must be 1-65535.")
            .Validate(o => o.ConnectTimeout > TimeSpan.Zero && o.HalfClosedIdleTimeout > TimeSpan.Zero,
                "Egress:ConnectTimeout and HalfClosedIdleTimeout must be positive.")
            .Validate(o => !o.InspectTls || !string.IsNullOrWhiteSpace(o.CertificateDirectory),
                "Egress:CertificateDirectory must be set when Egress:InspectTls is on.")
            .Validate(o => o.TrustedUpstreamCertificates.All(File.Exists),
                "Egress:TrustedUpstreamCertificates must name PEM files that exist.")
            .Validate(o => o.MaxDecisionsPerSecond > 0 && o.MaxLookupsPerSecond > 0,
                "Egress:MaxDecisionsPerSecond and Egress:MaxLookupsPerSecond must be positive.")
            .Validate(o => o.MaxConnectionsPerSandbox > 0 && o.MaxConnections is null or > 0,
                "Egress:MaxConnectionsPerSandbox and Egress:MaxConnections must be positive.");

        // The HTTP layer provides the sink; without one, decisions still reach the log.
        services.AddSingleton(sp => new EgressGateway(
            sp.GetRequiredService<DockerNetworkOperations>(), Options(sp).Value,
            sp.GetRequiredService<IOptions<EgressOptions>>().Value,
            sp.GetService<IEgressDecisionSink>() ?? DiscardingDecisionSink.Instance,
            Logger<EgressGateway>(sp)));
    }

    private static bool IsIPv4(string value) =>
        IPAddress.TryParse(value, out var address) && address.AddressFamily == AddressFamily.InterNetwork;

    private static bool IsPort(int port) => port is > 0 and <= 65535;
}
