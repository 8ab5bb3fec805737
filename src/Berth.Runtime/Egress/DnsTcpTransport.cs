using System.Net;
using ARSoft.Tools.Net.Dns;

namespace Berth.Runtime.Egress;

/// <summary>
/// DNS over TCP for the gateway's name server: the library's TCP transport, with each connection
/// closed once its client has gone or stayed quiet, and no more than a set number open at once.
/// </summary>
/// <remarks>
/// The library's server stops reading a connection whose client closed it or went quiet, but
/// never closes it: every connection, even one that asked a question and hung up, stayed in
/// CLOSE-WAIT for the life of the process, and enough of them ran the server out of descriptors.
/// </remarks>
internal sealed class DnsTcpTransport(IPEndPoint endpoint, int timeoutMs, int maxConnections) : IServerTransport
{
    private readonly TcpServerTransport _inner = new(endpoint, timeoutMs, timeoutMs);
    private int _open;

    public ushort DefaultAllowedResponseSize => _inner.DefaultAllowedResponseSize;

    public bool SupportsMultipleResponses => _inner.SupportsMultipleResponses;

    public bool AllowTruncatedResponses => _inner.AllowTruncatedResponses;

    public TransportProtocol TransportProtocol => _inner.TransportProtocol;

    public void Bind() => _inner.Bind();

    public void Close() => _inner.Close();

    public void Dispose() => _inner.Dispose();

    public async Task<IServerConnection?> AcceptConnectionAsync(CancellationToken token = default)
    {
        while (true)
        {
            var connection = await _inner.AcceptConnectionAsync(token).ConfigureAwait(false);
            if (connection is null)
            {
                return null;
            }

            // Past the limit a connection is closed at once; clients use UDP first anyway.
            if (Interlocked.Increment(ref _open) <= maxConnections)
            {
                return new Connection(this, connection);
            }

            Interlocked.Decrement(ref _open);
            connection.Dispose();
        }
    }

    private sealed class Connection(DnsTcpTransport transport, IServerConnection inner) : IServerConnection
    {
        private int _closed;

        public IServerTransport Transport => transport;

        public IPEndPoint RemoteEndPoint => inner.RemoteEndPoint;

        public IPEndPoint LocalEndPoint => inner.LocalEndPoint;

        public bool CanRead => Volatile.Read(ref _closed) == 0 && inner.CanRead;

        public Task<bool> InitializeAsync(CancellationToken token = default) => inner.InitializeAsync(token);

        // Nothing more comes when nothing came: the client closed, broke off or stayed quiet.
        public async Task<DnsReceivedRawPackage?> ReceiveAsync(CancellationToken token = default)
        {
            var package = await inner.ReceiveAsync(token).ConfigureAwait(false);
            if (package is null)
            {
                Dispose();
            }

            return package;
        }

        public Task<bool> SendAsync(DnsRawPackage package, CancellationToken token = default) =>
            inner.SendAsync(package, token);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                inner.Dispose();
                Interlocked.Decrement(ref transport._open);
            }
        }
    }
}
