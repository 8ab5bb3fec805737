using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Berth.Runtime.Egress;

/// <summary>
/// Takes a socket out of the process's epoll sets, so that a socket driven by blocking calls on
/// a thread of its own no longer wakes the runtime's socket event loop on every packet.
/// </summary>
/// <remarks>
/// .NET adds a socket to its event loop's epoll set, edge-triggered, at the socket's first
/// asynchronous operation and leaves it there until the socket is closed. A connection that is
/// spliced afterwards would then wake the event loop for each arrival and send each wakeup on
/// to the thread pool, where nothing waits for it: measured on a 100 MiB download, several
/// thousand wakeups and about a quarter of a core. The runtime keeps no state that depends on
/// the registration once no operation is pending, and closing the socket later does not ask
/// for it again. The epoll sets are found once, as the descriptors of the process that are
/// event polls; removing a socket from a set that does not hold it fails harmlessly.
/// </remarks>
internal static class EventPollRegistrations
{
    private const int Delete = 2;

    private static readonly Lazy<int[]> EventPolls = new(FindEventPolls);

    public static void Remove(Socket socket)
    {
        var descriptor = (int)socket.SafeHandle.DangerousGetHandle();
        foreach (var poll in EventPolls.Value)
        {
            _ = epoll_ctl(poll, Delete, descriptor, IntPtr.Zero);
        }
    }

    // The runtime creates its event loops all at once, at the first asynchronous socket
    // operation of the process; the gateway has done several before it splices anything.
    private static int[] FindEventPolls()
    {
        var found = new List<int>();
        try
        {
            foreach (var entry in new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos())
            {
                if (int.TryParse(entry.Name, out var descriptor) && entry.LinkTarget == "anon_inode:[eventpoll]")
                {
                    found.Add(descriptor);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Without /proc the sockets stay registered: slower, still correct.
        }

        return [.. found];
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_ctl(int poll, int operation, int descriptor, IntPtr events);
}
