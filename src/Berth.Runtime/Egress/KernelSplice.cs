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

    public static bool IsAvailable => OperatingSystem.IsLinux();

    public static async Task RunAsync(Socket client, Socket upstream, CancellationToken cancellationToken)
    {
        // The sockets were asynchronous until now; from here on only these threads use them.
        MakeBlocking(client);
        MakeBlocking(upstream);
        EventPollRegistrations.Remove(client);
        EventPollRegistrations.Remove(upstream);
        using var stop = cancellationToken.Register(() => Abort(client, upstream));
        // The upstream's answer is what the client waits for, so its direction starts first.
        var answers = OnThread(() => Pump(upstream, client));
        var requests = OnThread(() => Pump(client, upstream));
        await Task.WhenAll(answers, requests).ConfigureAwait(false);
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

    private static void Pump(Socket from, Socket to)
    {
        var pipe = new int[2];
        if (pipe2(pipe, CloseOnExec) != 0)
        {
            Abort(from, to);
            return;
        }

        try
        {
            // A larger pipe moves more per call; the default of 64 KiB works too.
            _ = fcntl(pipe[1], SetPipeSize, PipeBytes);
            if (!Copy(Descriptor(from), Descriptor(to), pipe))
            {
                Abort(from, to);
                return;
            }

            // Half-close: the other direction may still have a response to deliver.
            Quietly(() => to.Shutdown(SocketShutdown.Send));
        }
        finally
        {
            _ = close(pipe[0]);
            _ = close(pipe[1]);
        }
    }

    /// <summary>Moves bytes until the end of the stream (true) or a failure (false).</summary>
    private static bool Copy(int from, int to, int[] pipe)
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
            }
        }
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
