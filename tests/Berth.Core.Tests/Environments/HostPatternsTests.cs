using Berth.Core.Environments;

namespace Berth.Core.Tests.Environments;

public sealed class HostPatternsTests
{
    [Theory]
    [InlineData("*.allowed.test", "cdn.allowed.test")]
    [InlineData("*.allowed.test", "a.b.allowed.test")]
    [InlineData("*.allowed.test", "CDN.Allowed.Test")]
    [InlineData("*.allowed.test", "cdn.allowed.test.")]
    [InlineData("example.com", "example.com")]
    [InlineData("example.com", "EXAMPLE.com")]
    [InlineData("example.com", "example.com.")]
    [InlineData("localhost", "localhost")]
    public void Matches_NameCoveredByThePattern_IsTrue(string pattern, string host)
    {
        Assert.True(HostPatterns.Matches(pattern, host));
    }

    [Theory]
    [InlineData("*.allowed.test", "allowed.test")]
    [InlineData("*.allowed.test", "allowed.test.")]
    [InlineData("*.allowed.test", "notallowed.test")]
    [InlineData("*.allowed.test", "cdn.allowed.test.evil.com")]
    [InlineData("*.allowed.test", ".allowed.test")]
    [InlineData("*.allowed.test", "x..allowed.test")]
    [InlineData("example.com", "www.example.com")]
    [InlineData("example.com", "example.com.evil.com")]
    [InlineData("example.com", "badexample.com")]
    [InlineData("example.com", "example.co")]
    [InlineData("example.com", "")]
    [InlineData("example.com", "example.com..")]
    public void Matches_NameOutsideThePattern_IsFalse(string pattern, string host)
    {
        Assert.False(HostPatterns.Matches(pattern, host));
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("*.example.com")]
    [InlineData("a.b.c.example.com")]
    [InlineData("xn--bcher-kva.example")]
    [InlineData("my-host1.internal")]
    [InlineData("localhost")]
    [InlineData("*.com")]
    [InlineData("123.example.com")]
    [InlineData("a")]
    public void IsValid_AcceptedPattern_IsTrue(string pattern)
    {
        Assert.True(HostPatterns.IsValid(pattern, out var problem), problem);
    }

    [Fact]
    public void IsValid_PatternOf253Characters_IsTrue()
    {
        var pattern = string.Join(".", Enumerable.Repeat(new string('a', 63), 4))[..253];

        Assert.True(HostPatterns.IsValid(pattern, out var problem), problem);
    }

    [Fact]
    public void IsValid_PatternOf254Characters_IsFalse()
    {
        var pattern = string.Join(".", Enumerable.Repeat(new string('a', 63), 4))[..253] + "a";

        Assert.False(HostPatterns.IsValid(pattern, out var problem));
        Assert.Contains("254 characters", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("https://example.com", "scheme")]
    [InlineData("http://example.com/path", "scheme")]
    [InlineData("example.com/path", "path")]
    [InlineData("example.com:443", "port")]
    [InlineData("*.example.com:8080", "port")]
    [InlineData("1.2.3.4", "IP address")]
    [InlineData("10.0.0.1", "IP address")]
    [InlineData("2130706433", "IP address")]
    [InlineData("0x7f.1", "IP address")]
    [InlineData("::1", "IP address")]
    [InlineData("[2001:db8::1]", "IP address")]
    [InlineData("fe80::1", "IP address")]
    [InlineData("Example.com", "lowercase")]
    [InlineData("*", "'*'")]
    [InlineData("*example.com", "'*'")]
    [InlineData("a.*.example.com", "'*'")]
    [InlineData("*.*.example.com", "'*'")]
    [InlineData("**.example.com", "'*'")]
    [InlineData("example.com.", "empty label")]
    [InlineData(".example.com", "empty label")]
    [InlineData("a..example.com", "empty label")]
    [InlineData("*.", "empty label")]
    [InlineData("-a.example.com", "'-'")]
    [InlineData("a-.example.com", "'-'")]
    [InlineData("under_score.example.com", "'_'")]
    [InlineData("exa mple.com", "U+0020")]
    [InlineData("example.com\n", "U+000A")]
    [InlineData("bücher.example", "'ü'")]
    [InlineData("user@example.com", "'@'")]
    public void IsValid_RefusedPattern_SaysWhy(string pattern, string expected)
    {
        Assert.False(HostPatterns.IsValid(pattern, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void IsValid_LabelOver63Characters_IsFalse()
    {
        var pattern = new string('a', 64) + ".example.com";

        Assert.False(HostPatterns.IsValid(pattern, out var problem));
        Assert.Contains("longer than 63", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void IsValid_LabelOf63Characters_IsTrue()
    {
        Assert.True(HostPatterns.IsValid(new string('a', 63) + ".example.com"));
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("Example.COM.")]
    [InlineData("_dmarc.example.com")]
    [InlineData("a-b.c-")]
    [InlineData("localhost")]
    public void IsHostName_OfANameAsSandboxesSendIt_IsTrue(string host)
    {
        Assert.True(HostPatterns.IsHostName(host));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("a..b")]
    [InlineData(".example.com")]
    [InlineData("10.0.0.2\0.example.com")]
    [InlineData("a b.example.com")]
    [InlineData("a%2e.example.com")]
    [InlineData("exa\nmple.com")]
    [InlineData("bücher.example")]
    [InlineData("example.com:443")]
    public void IsHostName_OfAnythingElse_IsFalse(string host)
    {
        Assert.False(HostPatterns.IsHostName(host));
    }

    [Fact]
    public void IsHostName_PastDnsLimits_IsFalse()
    {
        Assert.True(HostPatterns.IsHostName(new string('a', 63) + ".test"));
        Assert.False(HostPatterns.IsHostName(new string('a', 64) + ".test"));
        var longest = string.Join('.', Enumerable.Repeat(new string('a', 49), 5)) + ".test";
        Assert.Equal(254, longest.Length);
        Assert.False(HostPatterns.IsHostName(longest));
        Assert.True(HostPatterns.IsHostName(longest[1..]));
    }
}
