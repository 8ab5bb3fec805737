using System.Buffers.Binary;
using System.Text;

namespace Berth.Runtime.Egress;

/// <summary>
/// The few nfnetlink_log messages the packet log needs: binding a log group, asking for packet
/// copies, and reading the packets the kernel sends back (netlink header, nfgenmsg, attributes).
/// </summary>
internal static class NflogMessages
{
    private const int NetlinkHeaderLength = 16;
    private const int GenericHeaderLength = 4;
    private const ushort SubsystemUlog = 4;
    private const ushort MessagePacket = 0;
    private const ushort MessageConfig = 1;
    private const ushort NetlinkError = 2;
    private const ushort FlagRequest = 0x1;
    private const ushort FlagAck = 0x4;
    private const ushort AttributeConfigCommand = 1;
    private const ushort AttributeConfigMode = 2;
    private const ushort AttributeConfigQueueThreshold = 5;
    private const byte CommandBind = 1;
    private const byte CopyPacket = 2;
    private const ushort AttributePayload = 9;
    private const ushort AttributePrefix = 10;
    private const ushort AttributeTypeMask = 0x3fff;

    /// <summary>Binds this socket to <paramref name="group"/>.</summary>
    public static byte[] Bind(int group) => Config(group, AttributeConfigCommand, [CommandBind, 0, 0, 0]);

    /// <summary>Asks for the first <paramref name="range"/> bytes of each packet.</summary>
    public static byte[] CopyPackets(int group, int range)
    {
        var mode = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(mode, range);
        mode[4] = CopyPacket;

        return Config(group, AttributeConfigMode, mode);
    }

    /// <summary>Asks the kernel to send each packet at once rather than batching them.</summary>
    public static byte[] SendEachPacket(int group)
    {
        var threshold = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(threshold, 1);

        return Config(group, AttributeConfigQueueThreshold, threshold);
    }

    /// <summary>The error code of an acknowledgement (0 for success), or null when the datagram holds none.</summary>
    public static int? AcknowledgementError(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < NetlinkHeaderLength + 4
            || BinaryPrimitives.ReadUInt16LittleEndian(datagram[4..]) != NetlinkError)
        {
            return null;
        }

        return -BinaryPrimitives.ReadInt32LittleEndian(datagram[NetlinkHeaderLength..]);
    }

    /// <summary>The packets in one datagram from the kernel, each with its log prefix.</summary>
    public static List<(string Prefix, byte[] Payload)> ReadPackets(ReadOnlySpan<byte> datagram)
    {
        var packets = new List<(string, byte[])>();
        while (datagram.Length >= NetlinkHeaderLength)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(datagram);
            var type = BinaryPrimitives.ReadUInt16LittleEndian(datagram[4..]);
            if (length < NetlinkHeaderLength || length > datagram.Length)
            {
                break;
            }

            if (type == ((SubsystemUlog << 8) | MessagePacket))
            {
                var attributes = datagram[(NetlinkHeaderLength + GenericHeaderLength)..length];
                if (ReadPacket(attributes) is { } packet)
                {
                    packets.Add(packet);
                }
            }

            datagram = datagram[Math.Min(Align(length), datagram.Length)..];
        }

        return packets;
    }

    private static (string, byte[])? ReadPacket(ReadOnlySpan<byte> attributes)
    {
        string? prefix = null;
        byte[]? payload = null;
        while (attributes.Length >= 4)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(attributes);
            var type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(attributes[2..]) & AttributeTypeMask);
            if (length < 4 || length > attributes.Length)
            {
                break;
            }

            var value = attributes[4..length];
            if (type == AttributePrefix)
            {
                prefix = Encoding.ASCII.GetString(value).TrimEnd('\0');
            }
            else if (type == AttributePayload)
            {
                payload = value.ToArray();
            }

            attributes = attributes[Math.Min(Align(length), attributes.Length)..];
        }

        return payload is null ? null : (prefix ?? "", payload);
    }

    private static byte[] Config(int group, ushort attributeType, byte[] attributeValue)
    {
        var attributeLength = 4 + attributeValue.Length;
        var length = NetlinkHeaderLength + GenericHeaderLength + Align(attributeLength);
        var message = new byte[length];
        var span = message.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], (SubsystemUlog << 8) | MessageConfig);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], FlagRequest | FlagAck);

        // nfgenmsg: family AF_UNSPEC, version 0, the group as resource id in network byte order.
        BinaryPrimitives.WriteUInt16BigEndian(span[(NetlinkHeaderLength + 2)..], (ushort)group);
        var attribute = span[(NetlinkHeaderLength + GenericHeaderLength)..];
        BinaryPrimitives.WriteUInt16LittleEndian(attribute, (ushort)attributeLength);
        BinaryPrimitives.WriteUInt16LittleEndian(attribute[2..], attributeType);
        attributeValue.CopyTo(attribute[4..]);

        return message;
    }

    private static int Align(int length) => (length + 3) & ~3;
}
