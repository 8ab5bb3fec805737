using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Berth.Runtime.Egress;

/// <summary>
/// Where a connection that the firewall redirected to the gateway was going: netfilter keeps
/// the address and port from before the REDIRECT, and SO_ORIGINAL_DST reads them back.
/// </summary>
internal static class OriginalDestination
{
    private const int SolIp = 0;
    private const int SoOriginalDst = 80;
    private const int SockaddrInLength = 16;

    public static IPEndPoint? Read(Socket socket)
    {
        Span<byte> address = stackalloc byte[SockaddrInLength];
        try
        {
            if (socket.GetRawSocketOption(SolIp, SoOriginalDst, address) < 8)
            {
                return null;
            }
        }
        catch (SocketException)
        {
            return null;
        }

        // struct sockaddr_in: family, then the port and the address in network byte order.
        var port = BinaryPrimitives.ReadUInt16BigEndian(address[2..]);

        return new IPEndPoint(new IPAddress(address.Slice(4, 4)), port);
    }
}
