using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Egress;

/// <summary>
/// Reads the packets that the firewall rules send to this instance's NFLOG group, so that
/// traffic refused in the kernel (UDP, ICMP, IPv6, anything bound for the host) is reported as
/// decisions like the gateway's own.
/// </summary>
/// <remarks>.NET's Socket cannot create netlink sockets itself, but it can wrap one made by libc.</remarks>
internal sealed class PacketLog : IAsyncDisposable
{
    private const int NetlinkFamily = 16;
    private const int RawSocket = 3;
    private const int CloseOnExec = 0x80000;
    private const int NetlinkNetfilter = 12;
    private const int CopyRange = 128;
    private const int ReceiveBufferLength = 1024 * 1024;

    private static readonly TimeSpan AcknowledgementTimeout = TimeSpan.FromSeconds(2);

    private readonly Socket _socket;
    private readonly Action<FirewallPacket> _onPacket;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    private PacketLog(Socket socket, Action<FirewallPacket> onPacket, ILogger logger)
    {
        _socket = socket;
        _onPacket = onPacket;
        _logger = logger;
    }

    /// <summary>Binds <paramref name="group"/> and starts reading; returns the problem when it cannot.</summary>
    public static async Task<(PacketLog? Log, string? Problem)> OpenAsync(
        int group, Action<FirewallPacket> onPacket, ILogger logger, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            return (null, "netfilter logging is only on Linux");
        }

        var descriptor = OpenNetlinkSocket(NetlinkFamily, RawSocket | CloseOnExec, NetlinkNetfilter);
        if (descriptor < 0)
        {
            return (null, $"no netfilter netlink socket (errno {Marshal.GetLastPInvokeError()})");
        }

        var socket = new Socket(new SafeSocketHandle(descriptor, true)) { ReceiveBufferSize = ReceiveBufferLength };
        var log = new PacketLog(socket, onPacket, logger);
        var problem = await log.ConfigureAsync(group, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            await log.DisposeAsync().ConfigureAwait(false);
            return (null, problem);
        }

        log._loop = Task.Run(log.ReadAsync, CancellationToken.None);

        return (log, null);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _socket.Dispose();
        _stopping.Dispose();
    }

    private async Task<string?> ConfigureAsync(int group, CancellationToken cancellationToken)
    {
        var requests = new[]
        {
            ("bind", NflogMessages.Bind(group)),
            ("copy mode", NflogMessages.CopyPackets(group, CopyRange)),
            ("queue threshold", NflogMessages.SendEachPacket(group)),
        };
        var buffer = new byte[4096];
        foreach (var (name, request) in requests)
        {
            await _socket.SendAsync(request, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(AcknowledgementTimeout);
            var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            var error = NflogMessages.AcknowledgementError(buffer.AsSpan(0, read));
            if (error is not 0)
            {
                return $"the kernel refused the NFLOG {name} for group {group} (error {error?.ToString() ?? "?"}); "
                    + "another process may be using the group";
            }
        }

        return null;
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        while (!_stopping.IsCancellationRequested)
        {
            int read;
            try
            {
                read = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.NoBufferSpaceAvailable)
            {
                // The kernel dropped reports while this reader was behind; the next ones still come.
                _logger.PacketLogUnavailable("some reports were lost while the reader was behind");
                continue;
            }

            foreach (var (prefix, payload) in NflogMessages.ReadPackets(buffer.AsSpan(0, read)))
            {
                if (FirewallPacket.Parse(payload, prefix == FirewallRules.AllowPrefix) is { } packet)
                {
                    _onPacket(packet);
                }
            }
        }
    }

    // DllImport rather than LibraryImport: the generated marshalling would need unsafe code
    // enabled for the whole project, for a call that passes three integers.
    [DllImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static extern int OpenNetlinkSocket(int domain, int type, int protocol);
}
