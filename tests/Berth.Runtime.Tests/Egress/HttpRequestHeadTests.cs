using System.Text;
using Berth.Runtime.Egress;

namespace Berth.Runtime.Tests.Egress;

public sealed class HttpRequestHeadTests
{
    [Fact]
    public void Parse_ARequest_ReadsLineAndHeaders()
    {
        var text = "GET /x?y=1 HTTP/1.1\r\nHost: Example.com:8080\r\nAccept: */*\r\n\r\n"u8;

        var head = HttpRequestHead.Parse(text[..HttpRequestHead.FindEnd(text)]);

        Assert.NotNull(head);
        Assert.Equal(("GET", "/x?y=1", "HTTP/1.1"), (head.Method, head.Target, head.Version));
        Assert.Equal("Example.com:8080", head.Header("host"));
    }

    [Fact]
    public void ToSingleRequestForm_KeepsTheRequestAsWritten_ButClosesAfterIt()
    {
        var head = HttpRequestHead.Parse(
            "GET /p HTTP/1.1\r\nHost: a.test\r\nConnection: keep-alive\r\nKeep-Alive: 5\r\nX-Kept: 1\r\n\r\n"u8)!;

        var upstream = Encoding.Latin1.GetString(head.ToSingleRequestForm());

        Assert.Equal("GET /p HTTP/1.1\r\nConnection: close\r\nHost: a.test\r\nX-Kept: 1\r\n\r\n", upstream);
        Assert.False(head.AsksToUpgrade);
        Assert.Null(head.TargetHost);
    }

    [Fact]
    public void TargetHost_OfAnAbsoluteTarget_IsItsHost_AndAnUpgradeIsSeen()
    {
        var head = HttpRequestHead.Parse(
            "GET http://Other.Test./x HTTP/1.1\r\nHost: a.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"u8)!;

        Assert.Equal("other.test", head.TargetHost);
        Assert.True(head.AsksToUpgrade);
    }

    [Theory]
    [InlineData("SSH-2.0-OpenSSH\r\n")]
    [InlineData("get / HTTP/1.1\r\n")]
    [InlineData("\u0016\u0003\u0001")]
    public void CanBeRequest_OtherProtocols_IsFalse(string start)
    {
        Assert.False(HttpRequestHead.CanBeRequest(Encoding.Latin1.GetBytes(start)));
    }

    [Fact]
    public void Parse_ALineThatIsNotHttp_IsNull()
    {
        Assert.Null(HttpRequestHead.Parse("HELLO there\r\n\r\n"u8));
    }

    [Fact]
    public void ToUpstreamForm_DropsProxyHeaders_AndClosesAfterOneRequest()
    {
        var head = HttpRequestHead.Parse(
            "GET http://a.test/p HTTP/1.1\r\nHost: a.test\r\nProxy-Connection: keep-alive\r\n"u8
            + "Proxy-Authorization: Basic eA==\r\nConnection: keep-alive\r\nX-Kept: 1\r\n\r\n"u8)!;

        var upstream = Encoding.Latin1.GetString(head.ToUpstreamForm("/p", "a.test"));

        Assert.Equal("GET /p HTTP/1.1\r\nConnection: close\r\nHost: a.test\r\nX-Kept: 1\r\n\r\n", upstream);
    }

    [Theory]
    [InlineData("example.com", 80, "example.com", 80)]
    [InlineData("Example.COM.:8443", 80, "example.com", 8443)]
    [InlineData("[2001:db8::1]:443", 80, "2001:db8::1", 443)]
    public void HostAndPort_Parse_ReadsHostAndPort(string authority, int defaultPort, string host, int port)
    {
        Assert.Equal(new HostAndPort(host, port), HostAndPort.Parse(authority, defaultPort));
    }

    [Theory]
    [InlineData("example.com:0")]
    [InlineData("example.com:http")]
    [InlineData(":443")]
    public void HostAndPort_Parse_Invalid_IsNull(string authority)
    {
        Assert.Null(HostAndPort.Parse(authority, 443));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: a.test\r\nHost: b.test\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: b.test:99999\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: b.test:\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nX: a\nHost: b.test\r\nHost: a.test\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nX: a\rHost: b.test\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: -5\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a.test\r\nX\0: y\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a.test\r\nX y: z\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a.test\r\nX: y\r\n folded\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost : b.test\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a.test\r\nX: a\0b\r\n\r\n")]
    [InlineData("GET / HTTP/2.0\r\nHost: a.test\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n")]
    [InlineData("GET http://b.test\\@a.test/ HTTP/1.1\r\nHost: a.test\r\n\r\n")]
    public void Parse_AHeadAnUpstreamMightReadOtherwise_IsRefused(string text)
    {
        var bytes = Encoding.Latin1.GetBytes(text);

        Assert.Null(HttpRequestHead.Parse(bytes.AsSpan(0, HttpRequestHead.FindEnd(bytes))));
    }

    [Fact]
    public void FindEnd_OfAHeadWithBareLineFeeds_IsFoundAtOnce_ForParseToRefuse()
    {
        var text = "GET / HTTP/1.1\nHost: b.test\n\n"u8;

        var end = HttpRequestHead.FindEnd(text);

        Assert.Equal(text.Length, end);
        Assert.Null(HttpRequestHead.Parse(text[..end]));
    }

    [Theory]
    [InlineData("ws://Denied.Test/chat", "denied.test")]
    [InlineData("https://denied.test:8443/", "denied.test")]
    [InlineData("/origin-form", null)]
    public void TargetHost_OfAnyAbsoluteTarget_IsItsHost(string target, string? host)
    {
        var head = HttpRequestHead.Parse(Encoding.Latin1.GetBytes($"GET {target} HTTP/1.1\r\nHost: a.test\r\n\r\n"))!;

        Assert.Equal(host, head.TargetHost);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n", 0L)]
    [InlineData("POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 12\r\n\r\n", 12L)]
    [InlineData("POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n", null)]
    [InlineData("GET / HTTP/1.1\r\nHost: a.test\r\nUpgrade: websocket\r\n\r\n", 0L)]
    public void BodyLength_IsTheContentLength_OrNoneWithoutOne_OrUnknown(string text, long? length)
    {
        var head = HttpRequestHead.Parse(Encoding.Latin1.GetBytes(text))!;

        Assert.Equal(length, head.BodyLength);
    }
}
