using System.Net;
using Berth.Runtime.Egress;

namespace Berth.Runtime.Tests.Egress;

public sealed class AddressRulesTests
{
    private static readonly AddressRules Rules = new(
        [IPNetwork.Parse("172.30.0.0/16")],
        [IPNetwork.Parse("198.51.100.0/24")],
        [IPAddress.Parse("198.51.100.7")],
        [IPNetwork.Parse("10.20.0.0/16"), IPNetwork.Parse("198.51.100.0/25")]);

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("172.30.0.5")]
    [InlineData("198.51.100.7")]
    [InlineData("198.51.100.200")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:169.254.169.254")]
    public void IsClosed_HostSandboxesLinkLocalAndPrivate_IsTrue(string address)
    {
        Assert.True(Rules.IsClosed(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("203.0.113.80")]
    [InlineData("10.20.3.4")]
    [InlineData("198.51.100.9")]
    public void IsClosed_PublicAndAllowedRanges_IsFalse(string address)
    {
        Assert.False(Rules.IsClosed(IPAddress.Parse(address)));
    }

    [Fact]
    public void NetworkOf_AnInterfaceAddress_ClearsTheHostBits()
    {
        Assert.Equal(IPNetwork.Parse("192.0.2.0/24"), AddressRules.NetworkOf(IPAddress.Parse("192.0.2.2"), 24));
    }

    [Fact]
    public void LinkLocalFromMac_FollowsEui64()
    {
        Assert.Equal(IPAddress.Parse("fe80::42:acff:fe17:2"), LinkLocalAddresses.FromMac("02:42:ac:17:00:02"));
        Assert.Null(LinkLocalAddresses.FromMac("not-a-mac"));
    }
}
