using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Berth.Runtime.Egress;
using Berth.Runtime.Tests.Support;

namespace Berth.Runtime.Tests.Egress;

public sealed class TlsClientHelloTests
{
    [Fact]
    public async Task ReadServerName_OfARealClientHello_IsTheTargetHost()
    {
        var record = await CaptureClientHelloAsync("Cdn.Example.com");

        var name = TlsClientHello.ReadServerName(record);

        Assert.Equal("cdn.example.com", name);
    }

    [Fact]
    public async Task ReadServerName_OfAClientHelloToAnAddress_IsNull()
    {
        var record = await CaptureClientHelloAsync("192.0.2.10");

        Assert.Null(TlsClientHello.ReadServerName(record));
    }

    [Fact]
    public async Task ReadServerName_OfATruncatedRecord_IsNullAndDoesNotThrow()
    {
        var record = await CaptureClientHelloAsync("example.com");

        for (var length = 0; length < 60; length++)
        {
            Assert.Null(TlsClientHello.ReadServerName(record.AsSpan(0, length)));
        }
    }

    [Fact]
    public void RecordLength_OfPlainHttp_IsNull()
    {
        Assert.Null(TlsClientHello.RecordLength("GET / HTTP/1.1\r\n"u8));
    }

    private static async Task<byte[]> CaptureClientHelloAsync(string targetHost)
    {
        using var timeout = Bounded.Quick();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, timeout.Token);
            using var server = await listener.AcceptTcpClientAsync(timeout.Token);
            var ssl = new SslStream(client.GetStream());
            var handshake = ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions { TargetHost = targetHost }, timeout.Token);

            var header = new byte[TlsClientHello.RecordHeaderLength];
            await server.GetStream().ReadExactlyAsync(header, timeout.Token);
            var record = new byte[TlsClientHello.RecordLength(header)!.Value];
            header.CopyTo(record, 0);
            await server.GetStream().ReadExactlyAsync(record.AsMemory(header.Length), timeout.Token);
            server.Close();
            await Assert.ThrowsAnyAsync<Exception>(() => handshake);

            return record;
        }
        finally
        {
            listener.Stop();
        }
    }
}
