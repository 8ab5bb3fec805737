using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Berth.Core.Environments;
using Berth.Runtime.Tests.Egress.Support;
using Berth.Runtime.Tests.Support;
using static Berth.Runtime.Tests.Egress.Support.EgressFixture;

namespace Berth.Runtime.Tests.Egress;

/// <summary>
/// What a confined sandbox sends past the gateway (UDP, DNS to another resolver, IPv6) is
/// refused by the firewall before it arrives, and reported as a denial of the session.
/// </summary>
[Collection(EgressTestGroup.Name)]
public sealed class DroppedTrafficTests(EgressFixture fixture)
{
    private const int DnsPort = 53;

    private static readonly NetworkingConfig Limited =
        new(NetworkingType.Limited, [AllowedHost], null, null);

    [Fact]
    public async Task DnsQuery_ToAnotherResolverOnThisMachine_IsDroppedAndRecorded()
    {
        await using var resolver = new UdpSink(fixture.HostAddress, DnsPort);
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync(SendUdp(fixture.HostAddress, DnsPort, DnsQuery), timeout.Token);

        Assert.DoesNotContain("answered", result.Output, StringComparison.Ordinal);
        var decision = await fixture.Decisions.WaitForAsync(
            sandbox.SessionId, d => d.Host == fixture.HostAddress.ToString() && d.Port == DnsPort,
            TimeSpan.FromSeconds(5));
        Assert.Equal(("dns", "denied", "default_deny"), (decision.Protocol, decision.Verdict, decision.Rule));
        Assert.Equal(0, resolver.Received);
    }

    [Fact]
    public async Task Udp_ToATestServer_IsDroppedAndRecorded()
    {
        await using var server = new UdpSink(fixture.HostAddress, 0);
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync(SendUdp(fixture.HostAddress, server.Port, "68656c6c6f"), timeout.Token);

        Assert.DoesNotContain("answered", result.Output, StringComparison.Ordinal);
        var decision = await fixture.Decisions.WaitForAsync(
            sandbox.SessionId, d => d.Port == server.Port, TimeSpan.FromSeconds(5));
        Assert.Equal(
            ("udp", fixture.HostAddress.ToString(), "denied"), (decision.Protocol, decision.Host, decision.Verdict));
        Assert.Equal(0, server.Received);
    }

    [Fact]
    public async Task Ipv6_IsUnavailableInASandbox()
    {
        using var timeout = Bounded.Quick();
        var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token);

        var result = await sandbox.RunAsync(
            "python3 -c \"import socket; socket.create_connection(('fe80::1%eth0', 80), timeout=3)\"", timeout.Token);

        Assert.NotEqual(0, result.ExitCode);
        Assert.True(result.Duration < TimeSpan.FromSeconds(3), $"took {result.Duration}");
    }

    [Fact]
    public async Task Ipv6_ToTheHost_FromASandboxThatHasIt_IsRefusedAndRecorded()
    {
        var listener = new TcpListener(IPAddress.IPv6Any, 0);
        listener.Start();
        try
        {
            using var timeout = Bounded.Quick();
            var sandbox = await fixture.StartSandboxAsync(Limited, timeout.Token, withIpv6: true);
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var hostLinkLocal = LinkLocalAddressOfInterfaceWith(sandbox.Gateway);

            var result = await sandbox.RunAsync(ConnectTcp($"{hostLinkLocal}%eth0", port), timeout.Token);

            Assert.NotEqual(0, result.ExitCode);
            Assert.True(result.Output.Contains("Refused", StringComparison.Ordinal), result.Output);
            var decision = await fixture.Decisions.WaitForAsync(
                sandbox.SessionId, d => d.Port == port, TimeSpan.FromSeconds(5));
            Assert.Equal(
                ("tcp", hostLinkLocal.ToString(), "denied"), (decision.Protocol, decision.Host, decision.Verdict));
            Assert.False(listener.Pending());
        }
        finally
        {
            listener.Stop();
        }
    }

    private const string DnsQuery = "abcd01000001000000000000076578616d706c6503636f6d0000010001";

    // A connected UDP socket hears the firewall's ICMP refusal, so the send fails at once.
    private static string SendUdp(IPAddress address, int port, string hexPayload) =>
        "python3 -c \"import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(3); "
        + $"s.connect(('{address}', {port})); s.send(bytes.fromhex('{hexPayload}')); "
        + "print('answered', s.recv(512))\"";

    // A new IPv6 address is unusable (EADDRNOTAVAIL) for a moment while duplicate detection runs.
    private static string ConnectTcp(string host, int port) =>
        "python3 -c \"import socket, time, errno\n"
        + "for attempt in range(30):\n"
        + "  try:\n"
        + $"    socket.create_connection(('{host}', {port}), timeout=3); break\n"
        + "  except OSError as e:\n"
        + "    if e.errno != errno.EADDRNOTAVAIL or attempt == 29: raise\n"
        + "    time.sleep(0.2)\n\"";

    private static IPAddress LinkLocalAddressOfInterfaceWith(IPAddress ipv4) =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Select(n => n.GetIPProperties().UnicastAddresses.Select(a => a.Address).ToList())
            .Where(addresses => addresses.Contains(ipv4))
            .SelectMany(addresses => addresses)
            .Where(a => a.IsIPv6LinkLocal)
            .Select(a => new IPAddress(a.GetAddressBytes()))
            .First();
}
