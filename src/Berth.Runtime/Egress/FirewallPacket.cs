using System.Buffers.Binary;
using System.Net;

namespace Berth.Runtime.Egress;

/// <summary>A packet the firewall reported: who sent it where, and whether it was dropped or let through.</summary>
internal sealed record FirewallPacket(
    IPAddress Source, IPAddress Destination, int Protocol, int DestinationPort, bool WasAllowed)
{
    public const int Icmp = 1;
    public const int Tcp = 6;
    public const int Udp = 17;
    public const int Icmpv6 = 58;

    private const int DnsPort = 53;

    public string ProtocolName => Protocol switch
    {
        Tcp or Udp when DestinationPort == DnsPort => EgressProtocols.Dns,
        Tcp => EgressProtocols.Tcp,
        Udp => EgressProtocols.Udp,
        _ => EgressProtocols.Icmp,
    };

    /// <summary>Reads the addresses, protocol and destination port from an IPv4 or IPv6 header.</summary>
    public static FirewallPacket? Parse(ReadOnlySpan<byte> packet, bool wasAllowed)
    {
        if (packet.Length < 1)
        {
            return null;
        }

        return (packet[0] >> 4) switch
        {
            4 when packet.Length >= 20 => FromIpv4(packet, wasAllowed),
            6 when packet.Length >= 40 => FromIpv6(packet, wasAllowed),
            _ => null,
        };
    }

    private static FirewallPacket FromIpv4(ReadOnlySpan<byte> packet, bool wasAllowed)
    {
        var headerLength = (packet[0] & 0x0f) * 4;
        var protocol = packet[9];

        return new FirewallPacket(
            new IPAddress(packet.Slice(12, 4)), new IPAddress(packet.Slice(16, 4)), protocol,
            PortAt(packet, headerLength, protocol), wasAllowed);
    }

    // Extension headers are not followed: a packet that has them is reported without its port.
    private static FirewallPacket FromIpv6(ReadOnlySpan<byte> packet, bool wasAllowed)
    {
        var protocol = packet[6];

        return new FirewallPacket(
            new IPAddress(packet.Slice(8, 16)), new IPAddress(packet.Slice(24, 16)), protocol,
            PortAt(packet, 40, protocol), wasAllowed);
    }

    private static int PortAt(ReadOnlySpan<byte> packet, int transportOffset, int protocol) =>
        protocol is Tcp or Udp && packet.Length >= transportOffset + 4
            ? BinaryPrimitives.ReadUInt16BigEndian(packet[(transportOffset + 2)..])
            : 0;
}
