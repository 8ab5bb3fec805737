using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Berth.Runtime.Tests.Egress.Support;

/// <summary>
/// A stand-in for a host on the internet: plain HTTP and TLS listeners on addresses of this
/// machine, answering with their own name and the Host header they were sent, and counting
/// the connections they accepted.
/// </summary>
public sealed class TestUpstream : IAsyncDisposable
{
    private readonly List<TcpListener> _listeners = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private readonly X509Certificate2 _certificate;
    private int _connections;
    private int _requests;

    public TestUpstream(string name, X509Certificate2 certificate)
    {
        Name = name;
        _certificate = certificate;
    }

    public string Name { get; }

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>How many requests it read and answered.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Listens for plain HTTP on an address and port (0 for any free one); returns the port.</summary>
    public int ListenHttp(IPAddress address, int port) => Listen(address, port, tls: false);

    public int ListenTls(IPAddress address, int port) => Listen(address, port, tls: true);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        foreach (var listener in _listeners)
        {
            listener.Stop();
        }

        await Task.WhenAll(_loops);
        _stopping.Dispose();
    }

    private int Listen(IPAddress address, int port, bool tls)
    {
        var listener = new TcpListener(address, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listeners.Add(listener);
        _loops.Add(AcceptAsync(listener, tls));

        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task AcceptAsync(TcpListener listener, bool tls)
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = ServeAsync(client, tls);
        }
    }

    private async Task ServeAsync(TcpClient client, bool tls)
    {
        using var owner = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            Stream stream = client.GetStream();
            if (tls)
            {
                var ssl = new SslStream(stream);
                await ssl.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions { ServerCertificate = _certificate }, timeout.Token);
                stream = ssl;
            }

            var head = await ReadHeadAsync(stream, timeout.Token);
            if (head.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _requests);
            }

            var lines = head.Split("\r\n");
            if (lines.Contains("Upgrade: echo", StringComparer.OrdinalIgnoreCase))
            {
                // Switches to a protocol that sends back what it gets.
                await stream.WriteAsync(
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n"u8.ToArray(),
                    timeout.Token);
                await stream.FlushAsync(timeout.Token);
                var echo = new byte[4096];
                int n;
                while ((n = await stream.ReadAsync(echo, timeout.Token)) > 0)
                {
                    await stream.WriteAsync(echo.AsMemory(0, n), timeout.Token);
                }

                return;
            }

            var host = lines.FirstOrDefault(l => l.StartsWith("Host:", StringComparison.OrdinalIgnoreCase))?[5..].Trim();
            var greeting = $"hello from {Name} (Host: {host})";
            if (lines.Contains("Transfer-Encoding: chunked", StringComparer.OrdinalIgnoreCase))
            {
                var (received, after) = await ReadChunksAsync(stream, head, timeout.Token);
                greeting += $", body {received} bytes, {after} after it";
            }
            else if (lines.FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                is { } contentLength)
            {
                // A request with a body hears how much of it came, and how much came after it.
                var (received, after) = await ReadBodyAsync(
                    stream, head, long.Parse(contentLength[15..].Trim(), CultureInfo.InvariantCulture), timeout.Token);
                greeting += $", body {received} bytes, {after} after it";
            }

            var body = Encoding.UTF8.GetBytes(greeting + "\n");
            var response = Encoding.ASCII.GetBytes(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                + $"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(response.Concat(body).ToArray(), timeout.Token);
            await stream.FlushAsync(timeout.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException
            or System.Security.Authentication.AuthenticationException)
        {
            // The client went away or refused the certificate; nothing to answer.
        }
    }

    // Reads to the last chunk (these tests send no trailers), then whatever follows within a moment.
    private static async Task<(long Received, long After)> ReadChunksAsync(
        Stream stream, string head, CancellationToken cancellationToken)
    {
        var bytes = new List<byte>(Encoding.Latin1.GetBytes(head[(head.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]));
        var buffer = new byte[64 * 1024];
        int end;
        while ((end = IndexOfLastChunk(bytes)) < 0)
        {
            var n = await stream.ReadAsync(buffer, cancellationToken);
            if (n == 0)
            {
                return (bytes.Count, 0);
            }

            bytes.AddRange(buffer.AsSpan(0, n));
        }

        using var linger = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        linger.CancelAfter(TimeSpan.FromMilliseconds(300));
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, linger.Token)) > 0)
            {
                bytes.AddRange(buffer.AsSpan(0, n));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        return (end, bytes.Count - end);
    }

    private static int IndexOfLastChunk(List<byte> bytes)
    {
        var text = Encoding.Latin1.GetString(bytes.ToArray());
        var at = text.StartsWith("0\r\n\r\n", StringComparison.Ordinal) ? 0 : text.IndexOf("\r\n0\r\n\r\n", StringComparison.Ordinal);

        return at < 0 ? -1 : at + (at == 0 ? 5 : 7);
    }

    private static async Task<(long Received, long After)> ReadBodyAsync(
        Stream stream, string head, long length, CancellationToken cancellationToken)
    {
        long read = head.Length - (head.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4);
        var buffer = new byte[64 * 1024];
        while (read < length)
        {
            var n = await stream.ReadAsync(buffer, cancellationToken);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        // Whatever else the client sent on the connection shows up within a moment.
        using var linger = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        linger.CancelAfter(TimeSpan.FromMilliseconds(300));
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, linger.Token)) > 0)
            {
                read += n;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        return (Math.Min(read, length), Math.Max(0, read - length));
    }

    private static async Task<string> ReadHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                break;
            }

            length += read;
            if (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0)
            {
                break;
            }
        }

        return Encoding.Latin1.GetString(buffer, 0, length);
    }
}
