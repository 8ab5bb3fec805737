using System.Globalization;
using System.Text;

namespace Berth.Runtime.Egress;

/// <summary>
/// The iptables rules that confine sandboxes, as iptables-restore input (each table replaced in
/// one step, so that no packet ever meets a half-written chain) and the hooks that lead into them.
/// </summary>
/// <remarks>
/// Confined network: all TCP is redirected to the gateway's own listener (except its DNS and
/// proxy ports), and everything else that would leave or reach the host is refused. Open
/// network: public addresses pass; link-local, other sandboxes, the host, and private ranges not
/// allowed by settings are refused. IPv6 is refused on both. Every refusal is reported through
/// the NFLOG group before it happens; allowed new connections of the open network are too.
/// </remarks>
internal sealed class FirewallRules(FirewallLayout layout)
{
    private const string LogLimit = "-m limit --limit 50/second --limit-burst 100";

    public const string DenyPrefix = "deny";
    public const string AllowPrefix = "allow";

    public string ForwardChain => $"{layout.ChainPrefix}-FWD";

    public string InputChain => $"{layout.ChainPrefix}-IN";

    public string DenyChain => $"{layout.ChainPrefix}-DENY";

    public string NatChain => $"{layout.ChainPrefix}-NAT";

    public string Ipv6Chain => $"{layout.ChainPrefix}-V6";

    public IReadOnlyList<FirewallHook> Hooks =>
    [
        .. Bridges.Select(b => new FirewallHook(false, "filter", "DOCKER-USER", b, ForwardChain)),
        .. Bridges.Select(b => new FirewallHook(false, "filter", "INPUT", b, InputChain)),
        new FirewallHook(false, "nat", "PREROUTING", layout.Confined.Bridge, NatChain),
        .. Bridges.Select(b => new FirewallHook(true, "filter", "INPUT", b, Ipv6Chain)),
        .. Bridges.Select(b => new FirewallHook(true, "filter", "FORWARD", b, Ipv6Chain)),
    ];

    /// <summary>Every chain of this instance: IPv6 or not, table, name; in the order they can be deleted.</summary>
    public IReadOnlyList<(bool IsIpv6, string Table, string Chain)> Chains =>
    [
        (false, "filter", ForwardChain), (false, "filter", InputChain), (false, "filter", DenyChain),
        (false, "nat", NatChain), (true, "filter", Ipv6Chain),
    ];

    private string[] Bridges => [layout.Confined.Bridge, layout.Open.Bridge];

    public string Ipv4Filter()
    {
        var text = Table("filter", ForwardChain, InputChain, DenyChain);
        AppendDenyChain(text);
        AppendForwardChain(text);
        AppendInputChain(text);

        return text.Append("COMMIT\n").ToString();
    }

    public string Ipv4Nat()
    {
        var (bridge, gateway) = (layout.Confined.Bridge, layout.Confined.Gateway);
        var text = Table("nat", NatChain);
        Rule(text, NatChain, $"-d {gateway}/32 -p tcp --dport 53 -j RETURN");
        Rule(text, NatChain, $"-d {gateway}/32 -p tcp --dport {layout.ProxyPort} -j RETURN");
        Rule(text, NatChain, $"-i {bridge} -p tcp -j REDIRECT --to-ports {layout.TransparentPort}");

        return text.Append("COMMIT\n").ToString();
    }

    public string Ipv6Filter()
    {
        var text = Table("filter", Ipv6Chain);

        // Neighbour discovery lets a sandbox with IPv6 send its packet, so that it is seen and logged.
        Rule(text, Ipv6Chain, "-p ipv6-icmp --icmpv6-type neighbour-solicitation -j ACCEPT");
        Rule(text, Ipv6Chain, "-p ipv6-icmp --icmpv6-type neighbour-advertisement -j ACCEPT");
        Rule(text, Ipv6Chain, "-p ipv6-icmp -j DROP");
        Rule(text, Ipv6Chain, $"{LogLimit} -j NFLOG --nflog-group {layout.LogGroup} --nflog-prefix {DenyPrefix}");
        Rule(text, Ipv6Chain, "-p tcp -j REJECT --reject-with tcp-reset");
        Rule(text, Ipv6Chain, "-j REJECT");

        return text.Append("COMMIT\n").ToString();
    }

    private void AppendDenyChain(StringBuilder text)
    {
        Rule(text, DenyChain, $"{LogLimit} -j NFLOG --nflog-group {layout.LogGroup} --nflog-prefix {DenyPrefix}");
        Rule(text, DenyChain, "-p tcp -j REJECT --reject-with tcp-reset");
        Rule(text, DenyChain, "-j REJECT --reject-with icmp-port-unreachable");
    }

    private void AppendForwardChain(StringBuilder text)
    {
        var addresses = layout.Addresses;
        var open = $"-i {layout.Open.Bridge}";

        // Nothing leaves the confined network but through the gateway, whose TCP never gets here.
        Rule(text, ForwardChain, $"-i {layout.Confined.Bridge} -j {DenyChain}");
        foreach (var range in AddressRules.AlwaysClosed.Concat(addresses.SandboxSubnets))
        {
            Rule(text, ForwardChain, $"{open} -d {range} -j {DenyChain}");
        }

        foreach (var range in addresses.AllowedPrivateRanges)
        {
            Rule(text, ForwardChain, $"{open} -d {range} -m conntrack --ctstate NEW {AllowLog()}");
            Rule(text, ForwardChain, $"{open} -d {range} -j RETURN");
        }

        foreach (var range in AddressRules.PrivateRanges.Concat(addresses.HostNetworks))
        {
            Rule(text, ForwardChain, $"{open} -d {range} -j {DenyChain}");
        }

        Rule(text, ForwardChain, $"{open} -m conntrack --ctstate NEW {AllowLog()}");
    }

    private void AppendInputChain(StringBuilder text)
    {
        Rule(text, InputChain, "-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
        foreach (var network in new[] { layout.Confined, layout.Open })
        {
            var to = $"-i {network.Bridge} -d {network.Gateway}/32";
            Rule(text, InputChain, $"{to} -p udp --dport 53 -j ACCEPT");
            Rule(text, InputChain, $"{to} -p tcp --dport 53 -j ACCEPT");
            Rule(text, InputChain, $"{to} -p tcp --dport {layout.ProxyPort} -j ACCEPT");
        }

        var confined = $"-i {layout.Confined.Bridge} -d {layout.Confined.Gateway}/32";
        Rule(text, InputChain, $"{confined} -p tcp --dport {layout.TransparentPort} -j ACCEPT");
        Rule(text, InputChain, $"-j {DenyChain}");
    }

    private string AllowLog() =>
        $"{LogLimit} -j NFLOG --nflog-group {layout.LogGroup} --nflog-prefix {AllowPrefix}";

    private static StringBuilder Table(string table, params string[] chains)
    {
        var text = new StringBuilder().Append('*').Append(table).Append('\n');
        foreach (var chain in chains)
        {
            // With --noflush, declaring a chain empties it, in the same step that refills it.
            text.Append(':').Append(chain).Append(" - [0:0]\n");
        }

        return text;
    }

    private static void Rule(StringBuilder text, string chain, string rule) =>
        text.Append(CultureInfo.InvariantCulture, $"-A {chain} {rule}\n");
}
