using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Berth.Runtime.Egress;

/// <summary>
/// Forwards an allowed connection inside the kernel: splice(2) moves the bytes from one socket
/// into a pipe and from the pipe into the other socket, so that they never cross into the server
/// process. Each direction runs on a thread of its own with blocking calls.
/// </summary>
/// <remarks>
/// Copying through the process with asynchronous sends and receives cost about half the
/// throughput of a direct download on a two-core machine, where the gateway competes for the
/// same cores as both ends of the connection; the kernel path does one system call per
/// megabyte instead of several per 64 KiB and no copies to and from user memory.
/// Each forwarded connection holds two threads of <see cref="BlockingThreads"/> while it is
/// open, which suits sandboxes with tens of connections each; for thousands of idle ones,
/// splicing from an event loop over non-blocking sockets would hold none.
/// </remarks>
internal static class KernelSplice
{
    private const uint SpliceMove = 1;
    private const int PipeBytes = 1 << 20;
    private const int CloseOnExec = 0x80000;
    private const int GetFlags = 3;
    private const int SetFlags = 4;
    private const int NonBlocking = 0x800;
    private const int SetPipeSize = 1031;
    private const int Interrupted = 4;

    /// <summary>
    /// Connects to <paramref name="upstream"/> within <paramref name="connectTimeout"/>, sends it
    /// <paramref name="firstBytes"/>, and forwards both ways until both directions have ended, or
    /// one has ended and the other has moved nothing for <paramref name="halfClosedIdle"/>.
    /// Returns null then, or why the upstream could not be reached, before anything was sent.
    /// </summary>
    /// <remarks>
    /// All of it runs on one blocking thread from the start: handing the connection back and forth
    /// between the event loop, the thread pool and the forwarding threads cost about half a
    /// millisecond on the way to the first byte.
    /// </remarks>
    public static Task<string?> ConnectAndRunAsync(
        Socket client, IPEndPoint upstream, ReadOnlyMemory<byte> firstBytes, TimeSpan connectTimeout,
        TimeSpan halfClosedIdle, CancellationToken cancellationToken)
    {
        var outcome = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        BlockingThreads.Connections.Run(() =>
        {
            try
            {
                outcome.SetResult(ConnectAndRun(
                    client, upstream, firstBytes, connectTimeout, halfClosedIdle, cancellationToken));
            }
            catch (Exception e)
            {
                outcome.SetException(e);
            }
        });

        return outcome.Task;
    }

    private static string? ConnectAndRun(
        Socket client, IPEndPoint endpoint, ReadOnlyMemory<byte> firstBytes, TimeSpan connectTimeout,
        TimeSpan halfClosedIdle, CancellationToken cancellationToken)
    {
        using var upstream = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var stop = cancellationToken.Register(() => Abort(client, upstream));
        if (Connect(upstream, endpoint, connectTimeout) is { } problem)
        {
            return problem;
        }

        KeepAlive(client);
        KeepAlive(upstream);

        // The client socket was asynchronous until now; from here on only these threads use it.
        MakeBlocking(client);
        EventPollRegistrations.Remove(client);
        upstream.Send(firstBytes.Span);

        using var forwarding = new Forwarding(client, upstream, halfClosedIdle);
        var requests = OnThread(forwarding.Requests);
        forwarding.Answers();
        requests.GetAwaiter().GetResult();

        return null;
    }

    // A socket that has never been used asynchronously blocks in connect(2), and Linux gives up
    // on a blocking connect after the socket's send timeout; the upstream never joins an epoll set.
    private static string? Connect(Socket upstream, IPEndPoint endpoint, TimeSpan timeout)
    {
        upstream.SendTimeout = (int)timeout.TotalMilliseconds;
        try
        {
            upstream.Connect(endpoint);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.InProgress)
        {
            return UpstreamSockets.Silent(endpoint, timeout);
        }
        catch (SocketException e)
        {
            return UpstreamSockets.Refused(endpoint, e.SocketErrorCode);
        }

        upstream.SendTimeout = 0;

        return null;
    }

    private static Task OnThread(Action pump)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        BlockingThreads.Connections.Run(() =>
        {
            try
            {
                pump();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });

        return done.Task;
    }

    /// <summary>Moves bytes from <paramref name="from"/> to <paramref name="to"/> until an end or a failure.</summary>
    private static PumpEnd Pump(Socket from, Socket to, Direction direction)
    {
        var pipe = new int[2];
        if (pipe2(pipe, CloseOnExec) != 0)
        {
            return PumpEnd.NotStarted;
        }

        try
        {
            // A larger pipe moves more per call; the default of 64 KiB works too.
            _ = fcntl(pipe[1], SetPipeSize, PipeBytes);
            return Copy(Descriptor(from), Descriptor(to), pipe, direction) ? PumpEnd.Ended : PumpEnd.Broken;
        }
        finally
        {
            _ = close(pipe[0]);
            _ = close(pipe[1]);
        }
    }

    /// <summary>Moves bytes until the end of the stream (true) or a failure (false).</summary>
    private static bool Copy(int from, int to, int[] pipe, Direction direction)
    {
        while (true)
        {
            var read = splice(from, IntPtr.Zero, pipe[1], IntPtr.Zero, PipeBytes, SpliceMove);
            if (read == 0)
            {
                return true;
            }

            if (read < 0)
            {
                if (Marshal.GetLastPInvokeError() == Interrupted)
                {
                    continue;
                }

                return false;
            }

            for (var left = read; left > 0;)
            {
                var written = splice(pipe[0], IntPtr.Zero, to, IntPtr.Zero, (nuint)left, SpliceMove);
                if (written < 0 && Marshal.GetLastPInvokeError() == Interrupted)
                {
                    continue;
                }

                if (written <= 0)
                {
                    return false;
                }

                left -= written;
                direction.Moved(written);
            }
        }
    }

    // A peer that vanishes without a reset (a machine switched off, a path gone) would otherwise
    // hold both threads of the connection for good; probes find it within two minutes of quiet.
    private static void KeepAlive(Socket socket)
    {
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 60);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 10);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 6);
    }

    private static void MakeBlocking(Socket socket)
    {
        var descriptor = Descriptor(socket);
        var flags = fcntl(descriptor, GetFlags, 0);
        if (flags >= 0)
        {
            _ = fcntl(descriptor, SetFlags, flags & ~NonBlocking);
        }
    }

    private static int Descriptor(Socket socket) => (int)socket.SafeHandle.DangerousGetHandle();

    // Shutting both sockets down wakes the blocked calls of both directions.
    private static void Abort(Socket first, Socket second)
    {
        Quietly(() => first.Shutdown(SocketShutdown.Both));
        Quietly(() => second.Shutdown(SocketShutdown.Both));
    }

    private static void Quietly(Action shutdown)
    {
        try
        {
            shutdown();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed or reset: nothing left to stop.
        }
    }

    private enum PumpEnd
    {
        /// <summary>The sending side ended its stream.</summary>
        Ended,

        /// <summary>A socket failed: reset, or gone.</summary>
        Broken,

        /// <summary>No pipe could be made for it.</summary>
        NotStarted,
    }

    /// <summary>One direction of a forwarded connection: how much it has moved, and whether it has ended.</summary>
    private sealed class Direction : IDisposable
    {
        private long _bytes;

        public ManualResetEventSlim Ended { get; } = new();

        public long Bytes => Volatile.Read(ref _bytes);

        public void Moved(long bytes) => Volatile.Write(ref _bytes, _bytes + bytes);

        public void Dispose() => Ended.Dispose();
    }

    /// <summary>The two directions of one forwarded connection, each run by a thread of its own.</summary>
    private sealed class Forwarding(Socket client, Socket upstream, TimeSpan halfClosedIdle) : IDisposable
    {
        private readonly Direction _requests = new();
        private readonly Direction _answers = new();
        private bool _broken;

        public void Requests() => Run(client, upstream, _requests, _answers);

        public void Answers() => Run(upstream, client, _answers, _requests);

        public void Dispose()
        {
            _requests.Dispose();
            _answers.Dispose();
        }

        private void Run(Socket from, Socket to, Direction mine, Direction other)
        {
            PumpEnd end;
            try
            {
                end = Pump(from, to, mine);
            }
            finally
            {
                mine.Ended.Set();
            }

            if (Volatile.Read(ref _broken))
            {
                return;
            }

            switch (end)
            {
                case PumpEnd.Ended:
                    // Half-close: the other direction may still have a response to deliver.
                    Quietly(() => to.Shutdown(SocketShutdown.Send));
                    OutwaitQuiet(other);
                    break;
                case PumpEnd.Broken:
                    Break();
                    break;
                default:
                    Abort(client, upstream);
                    break;
            }
        }

        // One side reset the connection or failed: the other side gets a reset too, not an end
        // of stream that would pass a cut-short answer off as whole. Shutting the receiving
        // halves wakes the other direction's read without sending anything; the reset goes out
        // when the sockets close.
        private void Break()
        {
            Volatile.Write(ref _broken, true);
            foreach (var socket in new[] { client, upstream })
            {
                Quietly(() => socket.LingerState = new LingerOption(true, 0));
                Quietly(() => socket.Shutdown(SocketShutdown.Receive));
            }
        }

        // Once one direction has ended, the other may never move again: a client that gave up
        // and closed while its upstream says nothing holds two threads for as long as the
        // upstream keeps the connection. Quiet for halfClosedIdle, the connection ends.
        private void OutwaitQuiet(Direction other)
        {
            var seen = other.Bytes;
            while (!other.Ended.Wait(halfClosedIdle))
            {
                var now = other.Bytes;
                if (now == seen)
                {
                    Abort(client, upstream);
                    return;
                }

                seen = now;
            }
        }
    }

    // DllImport rather than LibraryImport, as in PacketLog: no unsafe code for a few integers.
    [DllImport("libc", SetLastError = true)]
    private static extern nint splice(int fdIn, IntPtr offIn, int fdOut, IntPtr offOut, nuint length, uint flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int pipe2([Out] int[] descriptors, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fcntl(int descriptor, int command, int argument);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int descriptor);
}
