using Berth.Core.Environments;
using Berth.Runtime.Egress;

namespace Berth.Runtime.Tests.Egress;

public sealed class EgressPolicyTests
{
    private static readonly ServiceHosts Services = new(["deb.debian.org", "*.pythonhosted.org"], ["mcp.example.com"]);

    [Theory]
    [InlineData("api.example.com", true, "allowed_hosts:api.example.com")]
    [InlineData("API.Example.com.", true, "allowed_hosts:api.example.com")]
    [InlineData("x.y.cdn.example.com", true, "allowed_hosts:*.cdn.example.com")]
    [InlineData("cdn.example.com", false, "default_deny")]
    [InlineData("deb.debian.org", true, "package_managers")]
    [InlineData("files.pythonhosted.org", true, "package_managers")]
    [InlineData("mcp.example.com", false, "default_deny")]
    [InlineData("93.184.216.34", false, "default_deny")]
    [InlineData("", false, "default_deny")]
    public void Decide_Limited_NamesTheRule(string host, bool allowed, string rule)
    {
        var policy = new EgressPolicy(
            new NetworkingConfig(NetworkingType.Limited, ["api.example.com", "*.cdn.example.com"], true, false),
            Services);

        Assert.Equal(new PolicyVerdict(allowed, rule), policy.Decide(host));
    }

    // A resolver reads such a name only up to the NUL: 10.0.0.2 here, which no pattern allowed.
    [Theory]
    [InlineData("10.0.0.2\0.cdn.example.com")]
    [InlineData("evil.test\0.cdn.example.com")]
    [InlineData("evil.test .cdn.example.com")]
    [InlineData("evil.test%00.cdn.example.com")]
    [InlineData("evil.test\n.cdn.example.com")]
    public void Decide_ANameWithCharactersNoNameHas_IsDeniedInEveryMode(string host)
    {
        var limited = new EgressPolicy(
            new NetworkingConfig(NetworkingType.Limited, ["*.cdn.example.com"], null, null), Services);
        var unrestricted = new EgressPolicy(NetworkingConfig.Unrestricted, Services);

        Assert.Equal(new PolicyVerdict(false, "default_deny"), limited.Decide(host));
        Assert.Equal(new PolicyVerdict(false, "default_deny"), unrestricted.Decide(host));
    }

    [Fact]
    public void Decide_AllowedHostsType_IgnoresPackageManagersAndMcpServers()
    {
        var networking = new NetworkingConfig(NetworkingType.AllowedHosts, ["a.test"], null, null);
        var policy = new EgressPolicy(networking, Services);

        Assert.False(policy.Decide("deb.debian.org").IsAllowed);
        Assert.False(policy.Decide("mcp.example.com").IsAllowed);
        Assert.True(policy.IsConfined);
    }

    [Fact]
    public void Decide_McpServers_WhenAllowed_NamesTheRule()
    {
        var policy = new EgressPolicy(new NetworkingConfig(NetworkingType.Limited, null, null, true), Services);

        Assert.Equal(new PolicyVerdict(true, "mcp_servers"), policy.Decide("mcp.example.com"));
    }

    [Fact]
    public void Decide_Unrestricted_AllowsAddressesToo()
    {
        var policy = new EgressPolicy(NetworkingConfig.Unrestricted, Services);

        Assert.Equal(new PolicyVerdict(true, "unrestricted"), policy.Decide("203.0.113.7"));
        Assert.False(policy.IsConfined);
    }
}
