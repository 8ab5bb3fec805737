using System.Net;
using Berth.Runtime.Egress;

namespace Berth.Runtime.Tests.Egress;

public sealed class FirewallRulesTests
{
    private static readonly FirewallRules Rules = new(new FirewallLayout(
        "BERTH-TEST",
        new SandboxNetwork("c", "berthtestc", IPAddress.Parse("172.30.0.1"), IPNetwork.Parse("172.30.0.0/16"), true),
        new SandboxNetwork("o", "berthtesto", IPAddress.Parse("172.31.0.1"), IPNetwork.Parse("172.31.0.0/16"), false),
        new AddressRules(
            [IPNetwork.Parse("172.30.0.0/16"), IPNetwork.Parse("172.31.0.0/16")],
            [IPNetwork.Parse("192.0.2.0/24")], [IPAddress.Parse("192.0.2.2")], [IPNetwork.Parse("10.20.0.0/16")]),
        3128, 15001, 4242));

    [Fact]
    public void Nat_RedirectsConfinedTcp_ExceptDnsAndProxy()
    {
        var lines = Rules.Ipv4Nat().Split('\n');

        Assert.Equal(
            [
                "-A BERTH-TEST-NAT -d 172.30.0.1/32 -p tcp --dport 53 -j RETURN",
                "-A BERTH-TEST-NAT -d 172.30.0.1/32 -p tcp --dport 3128 -j RETURN",
                "-A BERTH-TEST-NAT -i berthtestc -p tcp -j REDIRECT --to-ports 15001",
            ],
            lines.Where(l => l.StartsWith("-A", StringComparison.Ordinal)));
    }

    [Fact]
    public void Forward_RefusesLinkLocalAndSandboxes_BeforeAllowedRanges_AndPrivateRangesAfter()
    {
        var lines = Rules.Ipv4Filter().Split('\n').ToList();

        int IndexOf(string rule) => lines.FindIndex(l => l.EndsWith(rule, StringComparison.Ordinal));

        var linkLocal = IndexOf("-d 169.254.0.0/16 -j BERTH-TEST-DENY");
        var sandboxes = IndexOf("-d 172.31.0.0/16 -j BERTH-TEST-DENY");
        var allowed = IndexOf("-d 10.20.0.0/16 -j RETURN");
        var privateRange = IndexOf("-d 10.0.0.0/8 -j BERTH-TEST-DENY");
        var hostNetwork = IndexOf("-d 192.0.2.0/24 -j BERTH-TEST-DENY");

        Assert.All(new[] { linkLocal, sandboxes, allowed, privateRange, hostNetwork }, i => Assert.True(i >= 0));
        Assert.True(linkLocal < allowed && sandboxes < allowed && allowed < privateRange && allowed < hostNetwork);
        Assert.Contains("-A BERTH-TEST-FWD -i berthtestc -j BERTH-TEST-DENY", lines);
    }

    [Fact]
    public void Input_AcceptsOnlyTheGatewaysPorts_ThenRefuses()
    {
        var input = Rules.Ipv4Filter().Split('\n')
            .Where(l => l.StartsWith("-A BERTH-TEST-IN ", StringComparison.Ordinal))
            .ToList();

        Assert.Equal("-A BERTH-TEST-IN -j BERTH-TEST-DENY", input[^1]);
        Assert.Contains("-A BERTH-TEST-IN -i berthtestc -d 172.30.0.1/32 -p tcp --dport 15001 -j ACCEPT", input);
        Assert.DoesNotContain(input,
            l => l.Contains("berthtesto", StringComparison.Ordinal) && l.Contains("15001", StringComparison.Ordinal));
    }

    [Fact]
    public void Hooks_LeadEveryBridgeIntoTheChains()
    {
        Assert.Contains(Rules.Hooks, h => h is { IsIpv6: false, Chain: "DOCKER-USER", Bridge: "berthtesto" });
        Assert.Contains(Rules.Hooks, h => h is { IsIpv6: true, Chain: "INPUT", Bridge: "berthtestc" });
        Assert.Single(Rules.Hooks, h => h.Table == "nat");
    }
}
