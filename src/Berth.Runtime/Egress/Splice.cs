using System.Buffers;
using System.Net.Sockets;

namespace Berth.Runtime.Egress;

/// <summary>Copies bytes both ways between a sandbox's connection and its upstream until both sides are done.</summary>
internal static class Splice
{
    private const int BufferLength = 64 * 1024;

    public static async Task RunAsync(Socket client, Socket upstream, CancellationToken cancellationToken)
    {
        if (KernelSplice.IsAvailable)
        {
            await KernelSplice.RunAsync(client, upstream, cancellationToken).ConfigureAwait(false);
            return;
        }

        // When one side fails, the other copy would wait forever for bytes that cannot come.
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAll(
            PumpAsync(client, upstream, failed),
            PumpAsync(upstream, client, failed)).ConfigureAwait(false);
    }

    private static async Task PumpAsync(Socket from, Socket to, CancellationTokenSource failed)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferLength);
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, failed.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, failed.Token).ConfigureAwait(false);
            }

            // Half-close: the other direction may still have a response to deliver.
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            await failed.CancelAsync().ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
