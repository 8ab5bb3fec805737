using System.Net;
using System.Net.Sockets;

namespace Berth.Bench.Build;

/// <summary>Finds loopback ports that nothing listens on.</summary>
internal static class LoopbackPorts
{
    /// <remarks>
    /// The port is released before the server binds it, so another program could take it in
    /// between; the server then fails to start and the bench says so, which is rare enough.
    /// </remarks>
    public static int FindFree()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
