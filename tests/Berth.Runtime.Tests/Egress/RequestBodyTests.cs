using System.Text;
using Berth.Runtime.Egress;

namespace Berth.Runtime.Tests.Egress;

/// <summary>Where a request's body ends, so that nothing after it goes upstream with it.</summary>
public sealed class RequestBodyTests
{
    private const string ChunkedBody = "5;name=value\r\nhello\r\n10\r\n0123456789abcdef\r\n0\r\nTrailer: x\r\n\r\n";

    private static RequestBody For(string head) =>
        RequestBody.For(HttpRequestHead.Parse(Encoding.Latin1.GetBytes(head))!);

    [Fact]
    public void SizedBody_EndsAtItsLength_AcrossReads()
    {
        var body = For("POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 7\r\n\r\n");

        Assert.Equal(4, body.Take("abcd"u8));
        Assert.Equal(3, body.Take("efgGET /"u8));
        Assert.True(body.IsComplete);
        Assert.Equal(0, body.Take("more"u8));
    }

    [Fact]
    public void ChunkedBody_EndsAfterItsTrailers_WhateverFollows()
    {
        var body = For("POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n");
        var bytes = Encoding.Latin1.GetBytes(ChunkedBody + "GET /next HTTP/1.1\r\n\r\n");

        Assert.Equal(ChunkedBody.Length, body.Take(bytes));
        Assert.True(body.IsComplete);
    }

    [Fact]
    public void ChunkedBody_ReadOneByteAtATime_EndsInTheSamePlace()
    {
        var body = For("POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n");
        var bytes = Encoding.Latin1.GetBytes(ChunkedBody + "GET /next HTTP/1.1\r\n\r\n");

        var taken = bytes.Select((_, i) => body.Take(bytes.AsSpan(i, 1))).Sum();

        Assert.Equal(ChunkedBody.Length, taken);
    }

    [Theory]
    [InlineData("zz\r\nhello\r\n0\r\n\r\n", 0)]
    [InlineData("5\r\nhelloXX0\r\n\r\n", 8)]
    [InlineData("\r\n", 0)]
    public void ChunkedBody_ThatBreaksItsFraming_EndsWhereItBreaks(string sent, int belongs)
    {
        var body = For("POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n");

        Assert.Equal(belongs, body.Take(Encoding.Latin1.GetBytes(sent)));
        Assert.True(body.IsComplete);
    }
}
