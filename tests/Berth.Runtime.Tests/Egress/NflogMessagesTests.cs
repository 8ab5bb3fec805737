using System.Buffers.Binary;
using System.Net;
using Berth.Runtime.Egress;

namespace Berth.Runtime.Tests.Egress;

public sealed class NflogMessagesTests
{
    [Fact]
    public void Bind_IsAConfigRequestForTheGroup()
    {
        var message = NflogMessages.Bind(4242);

        Assert.Equal(message.Length, BinaryPrimitives.ReadInt32LittleEndian(message));
        Assert.Equal(0x0401, BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(4)));
        Assert.Equal(4242, BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(18)));
    }

    [Fact]
    public void ReadPackets_OfAUdpPacketMessage_GivesPrefixAndAddresses()
    {
        var ip = new byte[28];
        ip[0] = 0x45;
        ip[9] = 17;
        IPAddress.Parse("172.30.0.2").GetAddressBytes().CopyTo(ip, 12);
        IPAddress.Parse("172.17.0.1").GetAddressBytes().CopyTo(ip, 16);
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(22), 53);
        byte[] attributes = [.. Attribute(10, "deny\0"u8.ToArray()), .. Attribute(9, ip)];
        var message = new byte[20 + attributes.Length];
        BinaryPrimitives.WriteInt32LittleEndian(message, message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), 0x0400);
        attributes.CopyTo(message, 20);

        var (prefix, payload) = Assert.Single(NflogMessages.ReadPackets(message));
        var packet = FirewallPacket.Parse(payload, prefix == FirewallRules.AllowPrefix);

        Assert.Equal("deny", prefix);
        Assert.NotNull(packet);
        Assert.Equal(("172.30.0.2", "172.17.0.1"), (packet.Source.ToString(), packet.Destination.ToString()));
        Assert.Equal((53, "dns", false), (packet.DestinationPort, packet.ProtocolName, packet.WasAllowed));
    }

    [Fact]
    public void AcknowledgementError_OfAnErrorMessage_IsItsErrno()
    {
        var message = new byte[36];
        BinaryPrimitives.WriteInt32LittleEndian(message, 36);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), 2);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(16), -16);

        Assert.Equal(16, NflogMessages.AcknowledgementError(message));
    }

    private static byte[] Attribute(ushort type, byte[] value)
    {
        var attribute = new byte[(4 + value.Length + 3) & ~3];
        BinaryPrimitives.WriteUInt16LittleEndian(attribute, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(attribute.AsSpan(2), type);
        value.CopyTo(attribute, 4);

        return attribute;
    }
}
