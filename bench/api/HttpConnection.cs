using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Bench.Api;

/// <summary>One keep-alive HTTP/1.1 connection: sends a request, reads its whole response.</summary>
/// <remarks>
/// The client shares two cores with the server it measures, so every microsecond it spends is
/// taken from the server. It therefore skips HttpClient (header collections, content objects,
/// connection pool bookkeeping) and allocates nothing per request. It understands only what
/// Kestrel sends back: a status line, headers, and a Content-Length or chunked body. Requests are
/// never pipelined, so nothing of the next response is ever in the buffer.
/// </remarks>
internal sealed class HttpConnection : IDisposable
{
    private const int StartSize = 16 * 1024;

    private readonly Socket _socket;
    private byte[] _input = new byte[StartSize];
    private byte[] _body = new byte[StartSize];
    private int _start;
    private int _end;
    private int _bodyLength;

    private HttpConnection(Socket socket) => _socket = socket;

    /// <summary>The body of the last response, de-chunked; valid until the next request.</summary>
    public ReadOnlySpan<byte> Body => _body.AsSpan(0, _bodyLength);

    public string BodyText => Encoding.UTF8.GetString(Body);

    public static async Task<HttpConnection> OpenAsync(int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new HttpConnection(socket);
    }

    /// <summary>Sends <paramref name="request"/> (complete, headers and body) and reads the response.</summary>
    /// <returns>The response's status code; its body is in <see cref="Body"/>.</returns>
    public async ValueTask<int> SendAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        while (!request.IsEmpty)
        {
            var sent = await _socket.SendAsync(request, SocketFlags.None, cancellationToken);
            request = request[sent..];
        }

        _start = 0;
        _end = 0;
        _bodyLength = 0;
        var status = await ReadStatusAsync(cancellationToken);
        var (contentLength, chunked) = await ReadHeadersAsync(cancellationToken);
        if (chunked)
        {
            await ReadChunkedBodyAsync(cancellationToken);
        }
        else
        {
            await ReadBodyAsync(contentLength, cancellationToken);
        }

        return status;
    }

    public void Dispose() => _socket.Dispose();

    private async ValueTask<int> ReadStatusAsync(CancellationToken cancellationToken)
    {
        // "HTTP/1.1 200 OK": the code is always the three bytes after the version.
        var length = await FindLineAsync(cancellationToken);
        var line = _input.AsSpan(_start, length);
        if (length < 12 || !Utf8Parser.TryParse(line[9..12], out int status, out _))
        {
            throw new IOException($"Not an HTTP status line: '{Encoding.ASCII.GetString(line)}'.");
        }

        Consume(length + 2);

        return status;
    }

    private async ValueTask<(int ContentLength, bool Chunked)> ReadHeadersAsync(CancellationToken cancellationToken)
    {
        var contentLength = 0;
        var chunked = false;
        int length;
        while ((length = await FindLineAsync(cancellationToken)) > 0)
        {
            var header = _input.AsSpan(_start, length);
            if (HasName(header, "content-length:"u8))
            {
                var value = header["content-length:".Length..].Trim((byte)' ');
                if (!Utf8Parser.TryParse(value, out contentLength, out _))
                {
                    throw new IOException($"Not a Content-Length: '{Encoding.ASCII.GetString(header)}'.");
                }
            }
            else if (HasName(header, "transfer-encoding:"u8))
            {
                chunked = header.IndexOf("chunked"u8) >= 0;
            }

            Consume(length + 2);
        }

        Consume(2);

        return (contentLength, chunked);
    }

    private async ValueTask ReadBodyAsync(int length, CancellationToken cancellationToken)
    {
        await EnsureAsync(length, cancellationToken);
        AppendBody(length);
    }

    private async ValueTask ReadChunkedBodyAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var length = await FindLineAsync(cancellationToken);
            var sizeText = _input.AsSpan(_start, length);
            var extension = sizeText.IndexOf((byte)';');
            if (!Utf8Parser.TryParse(extension >= 0 ? sizeText[..extension] : sizeText, out int size, out _, 'x'))
            {
                throw new IOException($"Not a chunk size: '{Encoding.ASCII.GetString(sizeText)}'.");
            }

            Consume(length + 2);
            if (size == 0)
            {
                await SkipTrailersAsync(cancellationToken);
                return;
            }

            await EnsureAsync(size + 2, cancellationToken);
            AppendBody(size);
            Consume(2);
        }
    }

    private async ValueTask SkipTrailersAsync(CancellationToken cancellationToken)
    {
        int length;
        while ((length = await FindLineAsync(cancellationToken)) > 0)
        {
            Consume(length + 2);
        }

        Consume(2);
    }

    private void AppendBody(int length)
    {
        if (_bodyLength + length > _body.Length)
        {
            Array.Resize(ref _body, Math.Max(_body.Length * 2, _bodyLength + length));
        }

        _input.AsSpan(_start, length).CopyTo(_body.AsSpan(_bodyLength));
        _bodyLength += length;
        Consume(length);
    }

    /// <returns>The length of the line at the read position, without its CRLF, which is in the buffer too.</returns>
    private async ValueTask<int> FindLineAsync(CancellationToken cancellationToken)
    {
        var scanned = 0;
        while (true)
        {
            var index = _input.AsSpan(_start + scanned, _end - _start - scanned).IndexOf("\r\n"u8);
            if (index >= 0)
            {
                return scanned + index;
            }

            // A CR at the very end may be the first half of the CRLF that the next read completes.
            scanned = Math.Max(0, _end - _start - 1);
            await FillAsync(cancellationToken);
        }
    }

    private async ValueTask EnsureAsync(int count, CancellationToken cancellationToken)
    {
        while (_end - _start < count)
        {
            await FillAsync(cancellationToken);
        }
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_end == _input.Length)
        {
            MakeRoom();
        }

        var read = await _socket.ReceiveAsync(_input.AsMemory(_end), SocketFlags.None, cancellationToken);
        if (read == 0)
        {
            throw new IOException("The server closed the connection in the middle of a response.");
        }

        _end += read;
    }

    private void MakeRoom()
    {
        if (_start == 0)
        {
            Array.Resize(ref _input, _input.Length * 2);
            return;
        }

        _input.AsSpan(_start, _end - _start).CopyTo(_input);
        _end -= _start;
        _start = 0;
    }

    private void Consume(int count) => _start += count;

    private static bool HasName(ReadOnlySpan<byte> header, ReadOnlySpan<byte> name) =>
        header.Length >= name.Length && Ascii.EqualsIgnoreCase(header[..name.Length], name);
}
