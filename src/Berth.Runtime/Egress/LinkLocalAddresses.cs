using System.Globalization;
using System.Net;

namespace Berth.Runtime.Egress;

/// <summary>
/// The IPv6 link-local address that Linux gives an interface from its MAC address (EUI-64), so
/// that IPv6 packets from a sandbox that has IPv6 after all can be told apart in the packet log.
/// </summary>
internal static class LinkLocalAddresses
{
    public static IPAddress? FromMac(string? macAddress)
    {
        var parts = macAddress?.Split(':');
        if (parts is not { Length: 6 })
        {
            return null;
        }

        var mac = new byte[6];
        for (var i = 0; i < 6; i++)
        {
            if (!byte.TryParse(parts[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out mac[i]))
            {
                return null;
            }
        }

        var address = new byte[16];
        address[0] = 0xfe;
        address[1] = 0x80;
        address[8] = (byte)(mac[0] ^ 0x02);
        address[9] = mac[1];
        address[10] = mac[2];
        address[11] = 0xff;
        address[12] = 0xfe;
        address[13] = mac[3];
        address[14] = mac[4];
        address[15] = mac[5];

        return new IPAddress(address);
    }
}
