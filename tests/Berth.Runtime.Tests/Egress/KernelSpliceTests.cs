using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Berth.Runtime.Egress;

namespace Berth.Runtime.Tests.Egress;

/// <summary>
/// The gateway's in-kernel forwarding over real loopback connections: a sandbox's connection is
/// joined to a new upstream connection, the bytes arrive whole both ways, an end of stream
/// passes on as a half-close, the sandbox's socket stops waking the runtime's socket event loop,
/// and an upstream that refuses or stays silent is reported with the client left untouched.
/// </summary>
public sealed class KernelSpliceTests
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Patient = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task ConnectAndRun_SendsTheFirstBytesFirst_ThenMovesEveryByteBothWays()
    {
        using var sandbox = await ConnectedPair.OpenAsync();
        using var listener = Listen();
        var first = RandomNumberGenerator.GetBytes(300);
        var request = RandomNumberGenerator.GetBytes(64 * 1024);
        var response = RandomNumberGenerator.GetBytes(8 * 1024 * 1024);

        var splicing = KernelSplice.ConnectAndRunAsync(
            sandbox.Far, Endpoint(listener), first, ConnectTimeout, Patient, CancellationToken.None);
        using var upstream = await listener.AcceptAsync();
        var sent = Task.WhenAll(SendAndEndAsync(sandbox.Near, request), SendAndEndAsync(upstream, response));
        var receivedRequest = await ReadToEndAsync(upstream);
        var receivedResponse = await ReadToEndAsync(sandbox.Near);
        await sent;

        Assert.Null(await splicing.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(SHA256.HashData([.. first, .. request]), SHA256.HashData(receivedRequest));
        Assert.Equal(SHA256.HashData(response), SHA256.HashData(receivedResponse));
    }

    [Fact]
    public async Task SplicedSandboxSocket_IsInNoEventPollOfTheProcess_AndProbedWhenQuiet()
    {
        using var sandbox = await ConnectedPair.OpenAsync();
        using var listener = Listen();
        var descriptor = (int)sandbox.Far.SafeHandle.DangerousGetHandle();
        Assert.Contains(descriptor, PolledDescriptors());

        var splicing = KernelSplice.ConnectAndRunAsync(
            sandbox.Far, Endpoint(listener), new byte[] { 1 }, ConnectTimeout, Patient, CancellationToken.None);
        using var upstream = await listener.AcceptAsync();
        await SendAndEndAsync(sandbox.Near, [2, 3]);
        Assert.Equal(3, (await ReadToEndAsync(upstream)).Length);

        Assert.DoesNotContain(descriptor, PolledDescriptors());
        Assert.Equal(1, (int)sandbox.Far.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!);
        upstream.Shutdown(SocketShutdown.Send);
        Assert.Null(await splicing.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task ConnectAndRun_ToAClosedPort_SaysSo_AndLeavesTheClientToBeAnswered()
    {
        using var sandbox = await ConnectedPair.OpenAsync();
        IPEndPoint closed;
        using (var listener = Listen())
        {
            closed = Endpoint(listener);
        }

        var problem = await KernelSplice.ConnectAndRunAsync(
            sandbox.Far, closed, new byte[] { 1 }, ConnectTimeout, Patient, CancellationToken.None);

        Assert.Equal($"connecting to {closed} failed (ConnectionRefused)", problem);
        await SendAndEndAsync(sandbox.Far, [4, 2]);
        Assert.Equal([4, 2], await ReadToEndAsync(sandbox.Near));
    }

    [Fact]
    public async Task ConnectAndRun_ToAnUpstreamThatNeverAnswers_GivesUpAfterTheTimeout()
    {
        using var sandbox = await ConnectedPair.OpenAsync();
        // A listener whose queue of unaccepted connections is full drops further handshakes.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        using var queued = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await queued.ConnectAsync(listener.LocalEndPoint!);
        var silent = (IPEndPoint)listener.LocalEndPoint!;
        var started = Stopwatch.StartNew();

        var problem = await KernelSplice.ConnectAndRunAsync(
            sandbox.Far, silent, new byte[] { 1 }, TimeSpan.FromMilliseconds(500), Patient, CancellationToken.None);

        Assert.Equal($"{silent} did not answer within 0.5 s", problem);
        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AClientThatClosed_WhileTheUpstreamSaysNothing_EndsTheConnectionAfterTheQuietLimit()
    {
        using var sandbox = await ConnectedPair.OpenAsync();
        using var listener = Listen();
        var started = Stopwatch.StartNew();

        var splicing = KernelSplice.ConnectAndRunAsync(
            sandbox.Far, Endpoint(listener), new byte[] { 1 }, ConnectTimeout, TimeSpan.FromMilliseconds(500),
            CancellationToken.None);
        using var upstream = await listener.AcceptAsync();
        sandbox.Near.Shutdown(SocketShutdown.Send);

        Assert.Null(await splicing.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5));
        Assert.Equal([1], await ReadToEndAsync(upstream));
    }

    [Fact]
    public async Task AHalfClosedConnection_WhoseOtherSideKeepsSending_StaysOpenPastTheQuietLimit()
    {
        using var sandbox = await ConnectedPair.OpenAsync();
        using var listener = Listen();
        var splicing = KernelSplice.ConnectAndRunAsync(
            sandbox.Far, Endpoint(listener), new byte[] { 1 }, ConnectTimeout, TimeSpan.FromSeconds(1),
            CancellationToken.None);
        using var upstream = await listener.AcceptAsync();
        sandbox.Near.Shutdown(SocketShutdown.Send);

        // An answer that trickles for twice the limit still arrives whole (with room for a
        // machine busy enough to stretch a pause between two bytes several times over).
        for (var i = 0; i < 20; i++)
        {
            await upstream.SendAsync(new byte[] { (byte)i }, SocketFlags.None);
            await Task.Delay(100);
        }

        upstream.Shutdown(SocketShutdown.Send);
        Assert.Equal(20, (await ReadToEndAsync(sandbox.Near)).Length);
        Assert.Null(await splicing.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task AnUpstreamThatResets_ResetsTheClient_RatherThanEndingItsStream()
    {
        using var sandbox = await ConnectedPair.OpenAsync();
        using var listener = Listen();
        var splicing = KernelSplice.ConnectAndRunAsync(
            sandbox.Far, Endpoint(listener), new byte[] { 1 }, ConnectTimeout, Patient, CancellationToken.None);
        var upstream = await listener.AcceptAsync();
        await upstream.SendAsync(new byte[1000], SocketFlags.None);
        await Task.Delay(100);

        upstream.LingerState = new LingerOption(true, 0);
        upstream.Dispose();
        Assert.Null(await splicing.WaitAsync(TimeSpan.FromSeconds(10)));
        sandbox.Far.Dispose();

        var received = 0;
        var buffer = new byte[4096];
        var failure = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            int read;
            while ((read = await sandbox.Near.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                received += read;
            }
        });
        Assert.Equal(SocketError.ConnectionReset, failure.SocketErrorCode);
        Assert.Equal(1000, received);
    }

    private static Socket Listen()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        return listener;
    }

    private static IPEndPoint Endpoint(Socket listener) => (IPEndPoint)listener.LocalEndPoint!;

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

    /// <summary>
    /// Both ends of one loopback TCP connection, as the gateway holds a sandbox's: the far end
    /// has waited asynchronously for the first bytes.
    /// </summary>
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
            using var listener = Listen();
            var near = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var accepting = listener.AcceptAsync();
            await near.ConnectAsync(listener.LocalEndPoint!);
            var far = await accepting;

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
