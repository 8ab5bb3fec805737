using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Berth.Runtime.Egress;

/// <summary>
/// Which IPv4 addresses sandboxes may never reach, both through the gateway and through the
/// firewall: the host itself, other sandboxes, link-local and other special ranges always;
/// private ranges and the host's own networks unless settings allow a range.
/// </summary>
internal sealed class AddressRules
{
    /// <summary>
    /// Closed whatever the settings say: "this network", loopback, link-local (cloud metadata),
    /// multicast and reserved.
    /// </summary>
    public static IReadOnlyList<IPNetwork> AlwaysClosed { get; } =
        Parse("0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4");

    /// <summary>Private and shared address space, closed unless a range is allowed.</summary>
    public static IReadOnlyList<IPNetwork> PrivateRanges { get; } =
        Parse("10.0.0.0/8", "100.64.0.0/10", "172.16.0.0/12", "192.168.0.0/16", "192.0.0.0/24");

    public AddressRules(
        IReadOnlyList<IPNetwork> sandboxSubnets,
        IReadOnlyList<IPNetwork> hostNetworks,
        IReadOnlyList<IPAddress> hostAddresses,
        IReadOnlyList<IPNetwork> allowedPrivateRanges)
    {
        SandboxSubnets = sandboxSubnets;
        HostNetworks = hostNetworks;
        HostAddresses = hostAddresses;
        AllowedPrivateRanges = allowedPrivateRanges;
    }

    public IReadOnlyList<IPNetwork> SandboxSubnets { get; }

    /// <summary>The IPv4 networks of this machine's own interfaces.</summary>
    public IReadOnlyList<IPNetwork> HostNetworks { get; }

    public IReadOnlyList<IPAddress> HostAddresses { get; }

    public IReadOnlyList<IPNetwork> AllowedPrivateRanges { get; }

    // Reading the interfaces can fail when one comes or goes meanwhile (the engine adds and
    // removes a sandbox's virtual interface at any time); a moment later it reads whole.
    private static List<UnicastIPAddressInformation> InterfaceAddresses()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return NetworkInterface.GetAllNetworkInterfaces()
                    .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                    .Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork)
                    .ToList();
            }
            catch (Exception e) when (e is ArgumentException or NetworkInformationException && attempt < 5)
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(20 * attempt));
            }
        }
    }

    /// <summary>Rules for this machine as it is now: its interfaces' addresses and networks.</summary>
    public static AddressRules ForThisHost(IReadOnlyList<IPNetwork> sandboxSubnets, IEnumerable<string> allowedRanges)
    {
        var addresses = InterfaceAddresses();
        var networks = addresses
            .Where(a => !IPAddress.IsLoopback(a.Address))
            .Select(a => NetworkOf(a.Address, a.PrefixLength))
            .Distinct()
            .ToList();

        return new AddressRules(
            sandboxSubnets, networks, addresses.Select(a => a.Address).ToList(),
            allowedRanges.Select(IPNetwork.Parse).ToList());
    }

    /// <summary>Whether the gateway must refuse to connect a sandbox to <paramref name="address"/>.</summary>
    public bool IsClosed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        // The gateway reaches upstreams over IPv4 only, as sandboxes have no IPv6 of their own.
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            return true;
        }

        if (AnyContains(AlwaysClosed, address) || AnyContains(SandboxSubnets, address)
            || HostAddresses.Contains(address))
        {
            return true;
        }

        return !AnyContains(AllowedPrivateRanges, address)
            && (AnyContains(PrivateRanges, address) || AnyContains(HostNetworks, address));
    }

    public static IPNetwork NetworkOf(IPAddress address, int prefixLength)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = prefixLength; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPNetwork(new IPAddress(bytes), prefixLength);
    }

    private static bool AnyContains(IReadOnlyList<IPNetwork> networks, IPAddress address) =>
        networks.Any(n => n.BaseAddress.AddressFamily == address.AddressFamily && n.Contains(address));

    private static List<IPNetwork> Parse(params string[] ranges) => ranges.Select(IPNetwork.Parse).ToList();
}
