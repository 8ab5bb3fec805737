using System.Net.Sockets;

namespace Berth.Runtime.Egress;

/// <summary>
/// Relays one checked request and its answer between a sandbox and an upstream, in user space,
/// where the gateway must keep count of what the sandbox sends: only the request (its head and its
/// body as far as its length says) goes upstream, and, for a request that asks to upgrade the
/// connection, everything after it only once the upstream has answered <c>101 Switching
/// Protocols</c>. A request pipelined behind, which may name another host, never goes.
/// </summary>
/// <remarks>
/// Each way runs until it ends. The upstream's end ends the relay; the sandbox's end is passed on,
/// and the answer may then take until the half-closed idle timeout. A failure on either side
/// resets the sandbox's connection.
/// </remarks>
internal sealed class RequestRelay
{
    private const int BufferLength = 64 * 1024;
    private static readonly byte[] SwitchingProtocols = "HTTP/1.1 101"u8.ToArray();

    private readonly Stream _sandboxSide;
    private readonly Stream _upstreamSide;
    private readonly Func<ValueTask> _endSandboxSide;
    private readonly Func<ValueTask> _endUpstreamSide;
    private readonly TimeSpan _halfClosedIdle;
    private readonly bool _upgrade;
    private readonly RequestBody _body;
    private bool _switched;
    private bool _halfClosed;
    private bool _failed;

    public RequestRelay(
        (Stream Stream, Func<ValueTask> End) sandboxSide, (Stream Stream, Func<ValueTask> End) upstreamSide,
        RequestBody body, bool upgrade, TimeSpan halfClosedIdle)
    {
        (_sandboxSide, _endSandboxSide) = sandboxSide;
        (_upstreamSide, _endUpstreamSide) = upstreamSide;
        _body = body;
        _upgrade = upgrade;
        _halfClosedIdle = halfClosedIdle;
    }

    /// <summary>
    /// What goes upstream first for a request read as <paramref name="start"/>: its head (with
    /// <c>Connection: close</c> unless it asks to upgrade) and as much of its body as came with
    /// it; and the body, to count the rest of it by.
    /// </summary>
    public static (byte[] Request, RequestBody Body) FirstBytes(HttpRequestHead head, ConnectionStart start)
    {
        var body = RequestBody.For(head);
        var read = start.Bytes[start.HeadLength..];
        read = read[..body.Take(read.Span)];
        var headBytes = head.AsksToUpgrade ? start.Bytes[..start.HeadLength].ToArray() : head.ToSingleRequestForm();

        return ([.. headBytes, .. read.Span], body);
    }

    /// <summary>Sends <paramref name="request"/>, then relays; false when either side failed.</summary>
    public async Task<bool> RunAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        using var relay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await _upstreamSide.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }

        await Task.WhenAll(TowardsUpstreamAsync(relay), TowardsSandboxAsync(relay)).ConfigureAwait(false);

        return !Volatile.Read(ref _failed);
    }

    private async Task TowardsUpstreamAsync(CancellationTokenSource relay)
    {
        await PumpAsync(relay, _sandboxSide, _upstreamSide, Allowed, _ => { }).ConfigureAwait(false);
        if (!relay.IsCancellationRequested)
        {
            Volatile.Write(ref _halfClosed, true);
            relay.CancelAfter(_halfClosedIdle);
            await EndQuietlyAsync(_endUpstreamSide, relay).ConfigureAwait(false);
        }
    }

    private async Task TowardsSandboxAsync(CancellationTokenSource relay)
    {
        var first = true;
        await PumpAsync(relay, _upstreamSide, _sandboxSide, read => read.Length, read =>
        {
            // Only the answer's first bytes can say the protocol switched.
            if (first && _upgrade && read.Span.StartsWith(SwitchingProtocols))
            {
                Volatile.Write(ref _switched, true);
            }

            first = false;
        }).ConfigureAwait(false);
        if (!relay.IsCancellationRequested)
        {
            await EndQuietlyAsync(_endSandboxSide, relay).ConfigureAwait(false);
            await relay.CancelAsync().ConfigureAwait(false);
        }
    }

    // How many of the sandbox's next bytes may go upstream: the rest of the request's body, then
    // nothing, unless the upstream switched protocols.
    private int Allowed(ReadOnlyMemory<byte> read) =>
        Volatile.Read(ref _switched) ? read.Length : _body.Take(read.Span);

    private async Task PumpAsync(
        CancellationTokenSource relay, Stream from, Stream to, Func<ReadOnlyMemory<byte>, int> allowed,
        Action<ReadOnlyMemory<byte>> seen)
    {
        var buffer = new byte[BufferLength];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, relay.Token).ConfigureAwait(false)) > 0)
            {
                seen(buffer.AsMemory(0, read));
                var forward = allowed(buffer.AsMemory(0, read));
                if (forward > 0)
                {
                    await to.WriteAsync(buffer.AsMemory(0, forward), relay.Token).ConfigureAwait(false);
                }

                if (Volatile.Read(ref _halfClosed))
                {
                    relay.CancelAfter(_halfClosedIdle);
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException
            or SocketException)
        {
            if (!relay.IsCancellationRequested)
            {
                Volatile.Write(ref _failed, true);
                await relay.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task EndQuietlyAsync(Func<ValueTask> end, CancellationTokenSource relay)
    {
        try
        {
            await end().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            Volatile.Write(ref _failed, true);
            await relay.CancelAsync().ConfigureAwait(false);
        }
    }
}
