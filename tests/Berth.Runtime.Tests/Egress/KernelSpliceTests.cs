using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Berth.Runtime.Egress;

namespace Berth.Runtime.Tests.Egress;

/// <summary>
/// The gateway's in-kernel forwarding between two real loopback connections: bytes arrive whole
/// both ways, an end of stream passes on as a half-close, and the two sockets stop waking the
/// runtime's socket event loop while they are spliced.
/// </summary>
public sealed class KernelSpliceTests
{
    [Fact]
    public async Task Splice_MovesEveryByteBothWays_AndPassesOnTheEndOfEachDirection()
    {
        using var sandbox = await ConnectedPair.OpenAsync();
        using var upstream = await ConnectedPair.OpenAsync();
        var splicing = KernelSplice.RunAsync(sandbox.Far, upstream.Near, CancellationToken.None);

        var request = RandomNumberGenerator.GetBytes(64 * 1024);
        var response = RandomNumberGenerator.GetBytes(8 * 1024 * 1024);
        var sent = Task.WhenAll(
            SendAndEndAsync(sandbox.Near, request),
            SendAndEndAsync(upstream.Far, response));
        var receivedRequest = await ReadToEndAsync(upstream.Far);
        var receivedResponse = await ReadToEndAsync(sandbox.Near);
        await sent;
        await splicing.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(SHA256.HashData(request), SHA256.HashData(receivedRequest));
        Assert.Equal(SHA256.HashData(response), SHA256.HashData(receivedResponse));
    }

    [Fact]
    public async Task SplicedSockets_AreInNoEventPollOfTheProcess()
    {
        using var sandbox = await ConnectedPair.OpenAsync();
        using var upstream = await ConnectedPair.OpenAsync();
        var descriptors = new[] { Descriptor(sandbox.Far), Descriptor(upstream.Near) };
        Assert.Subset(PolledDescriptors(), descriptors.ToHashSet());

        var splicing = KernelSplice.RunAsync(sandbox.Far, upstream.Near, CancellationToken.None);
        await SendAndEndAsync(sandbox.Near, [1, 2, 3]);
        Assert.Equal(3, (await ReadToEndAsync(upstream.Far)).Length);

        Assert.Empty(PolledDescriptors().Intersect(descriptors));
        upstream.Far.Shutdown(SocketShutdown.Send);
        await splicing.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task SendAndEndAsync(Socket socket, byte[] bytes)
    {
        await socket.SendAsync(bytes, SocketFlags.None);
        socket.Shutdown(SocketShutdown.Send);
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        using var received = new MemoryStream();
        var buffer = new byte[256 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None)) > 0)
        {
            received.Write(buffer, 0, read);
        }

        return received.ToArray();
    }

    private static int Descriptor(Socket socket) => (int)socket.SafeHandle.DangerousGetHandle();

    // Each epoll descriptor's fdinfo lists the descriptors it watches, one "tfd:" line each.
    private static HashSet<int> PolledDescriptors()
    {
        var polled = new HashSet<int>();
        foreach (var entry in new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget != "anon_inode:[eventpoll]")
            {
                continue;
            }

            foreach (var line in File.ReadLines($"/proc/self/fdinfo/{entry.Name}"))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields is ["tfd:", var target, ..] && int.TryParse(target, out var descriptor))
                {
                    polled.Add(descriptor);
                }
            }
        }

        return polled;
    }

    /// <summary>Both ends of one loopback TCP connection, each having done an asynchronous operation.</summary>
    private sealed class ConnectedPair : IDisposable
    {
        private ConnectedPair(Socket near, Socket far)
        {
            Near = near;
            Far = far;
        }

        public Socket Near { get; }

        public Socket Far { get; }

        public static async Task<ConnectedPair> OpenAsync()
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen();
            var near = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var accepting = listener.AcceptAsync();
            await near.ConnectAsync(listener.LocalEndPoint!);
            var far = await accepting;

            // As the gateway does before it splices: it waits asynchronously for the first bytes.
            var first = new byte[1];
            var receiving = far.ReceiveAsync(first, SocketFlags.None);
            await Task.Delay(50);
            await near.SendAsync(new byte[] { 0 }, SocketFlags.None);
            await receiving;

            return new ConnectedPair(near, far);
        }

        public void Dispose()
        {
            Near.Dispose();
            Far.Dispose();
        }
    }
}
