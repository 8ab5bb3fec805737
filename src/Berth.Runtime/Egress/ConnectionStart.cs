using System.Net.Sockets;

namespace Berth.Runtime.Egress;

/// <summary>What the first bytes of a connection turned out to be.</summary>
internal enum StartKind
{
    Tls,
    Http,

    /// <summary>A request head the gateway does not forward (see <see cref="HttpRequestHead.Parse"/>).</summary>
    MalformedHttp,
    Other,
}

/// <summary>
/// The first bytes a client sent, read just far enough to know its protocol and the host it
/// names: the server name of a TLS ClientHello, or the Host header of an HTTP request. The
/// bytes are kept, to be sent on to the upstream unchanged.
/// </summary>
internal sealed class ConnectionStart
{
    private const int BufferLength = HttpRequestHead.MaxLength + TlsClientHello.RecordHeaderLength;

    private ConnectionStart(
        StartKind kind, string? host, HttpRequestHead? http, int headLength, ReadOnlyMemory<byte> bytes)
    {
        Kind = kind;
        Host = host;
        Http = http;
        HeadLength = headLength;
        Bytes = bytes;
    }

    public StartKind Kind { get; }

    /// <summary>The host the client named, lowercase; null when it named none.</summary>
    public string? Host { get; }

    public HttpRequestHead? Http { get; }

    /// <summary>For HTTP, where the head ends in <see cref="Bytes"/> and the body begins.</summary>
    public int HeadLength { get; }

    public ReadOnlyMemory<byte> Bytes { get; }

    public string Protocol => Kind switch
    {
        StartKind.Tls => EgressProtocols.Tls,
        StartKind.Http or StartKind.MalformedHttp => EgressProtocols.Http,
        _ => EgressProtocols.Tcp,
    };

    /// <summary>
    /// Reads until the protocol and host are known, the client stops sending, or
    /// <paramref name="timeout"/> passes (a client that waits for the server to speak first
    /// ends up as <see cref="StartKind.Other"/>). <paramref name="prefix"/> holds bytes already read.
    /// </summary>
    public static Task<ConnectionStart> ReadAsync(
        Socket client, ReadOnlyMemory<byte> prefix, TimeSpan timeout, CancellationToken cancellationToken) =>
        ReadAsync(client.ReceiveAsync, prefix, timeout, cancellationToken);

    /// <summary>As the socket's overload, from a stream: the decrypted side of an inspected TLS connection.</summary>
    public static Task<ConnectionStart> ReadAsync(
        Stream client, ReadOnlyMemory<byte> prefix, TimeSpan timeout, CancellationToken cancellationToken) =>
        ReadAsync(client.ReadAsync, prefix, timeout, cancellationToken);

    private static async Task<ConnectionStart> ReadAsync(
        Func<Memory<byte>, CancellationToken, ValueTask<int>> receive, ReadOnlyMemory<byte> prefix,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var buffer = new byte[Math.Max(BufferLength, prefix.Length)];
        prefix.CopyTo(buffer);
        var length = prefix.Length;

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            var start = TryClassify(buffer.AsMemory(0, length), length == buffer.Length);
            if (start is not null)
            {
                return start;
            }

            int read;
            try
            {
                read = await receive(buffer.AsMemory(length), deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                read = 0;
            }
            catch (IOException)
            {
                // A TLS client that breaks off mid-record; a socket reports its failures itself.
                read = 0;
            }

            if (read == 0)
            {
                return Other(buffer.AsMemory(0, length));
            }

            length += read;
        }
    }

    private static ConnectionStart? TryClassify(ReadOnlyMemory<byte> bytes, bool full)
    {
        var span = bytes.Span;
        if (span.Length == 0)
        {
            return null;
        }

        if (span[0] == TlsClientHello.HandshakeRecord)
        {
            var recordLength = TlsClientHello.RecordLength(span);
            if (recordLength is null || (recordLength > span.Length && !full))
            {
                return null;
            }

            var record = span[..Math.Min(recordLength.Value, span.Length)];
            return new ConnectionStart(StartKind.Tls, TlsClientHello.ReadServerName(record), null, 0, bytes);
        }

        if (!HttpRequestHead.CanBeRequest(span))
        {
            return Other(bytes);
        }

        var end = HttpRequestHead.FindEnd(span);
        if (end < 0)
        {
            return full ? Other(bytes) : null;
        }

        var head = HttpRequestHead.Parse(span[..end]);
        if (head is null)
        {
            return new ConnectionStart(StartKind.MalformedHttp, null, null, 0, bytes);
        }

        var host = head.Header("Host") is { } value ? HostAndPort.Parse(value, 80)?.Host : null;

        return new ConnectionStart(StartKind.Http, host, head, end, bytes);
    }

    private static ConnectionStart Other(ReadOnlyMemory<byte> bytes) => new(StartKind.Other, null, null, 0, bytes);
}
