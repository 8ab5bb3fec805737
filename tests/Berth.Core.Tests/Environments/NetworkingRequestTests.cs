using Berth.Core.Environments;
using static Berth.Core.Tests.Environments.RequestBodies;

namespace Berth.Core.Tests.Environments;

public sealed class NetworkingRequestTests
{
    private static NetworkingConfig? AcceptedNetworking(string networking) =>
        AssertAccepted(EnvironmentRequests.ParseCreate(WithNetworking(networking))).Config.Networking;

    private static string RefusedOn(string networking, string param) =>
        AssertRefused(EnvironmentRequests.ParseCreate(WithNetworking(networking)), param);

    [Fact]
    public void ParseCreate_NullNetworking_IsOmitted()
    {
        Assert.Null(AcceptedNetworking("null"));
    }

    [Theory]
    [InlineData("\"unrestricted\"", "a string")]
    [InlineData("[]", "an array")]
    [InlineData("true", "a boolean")]
    public void ParseCreate_NetworkingNotAnObject_FailsOnNetworking(string networking, string described)
    {
        var message = RefusedOn(networking, "config.networking");

        Assert.Contains($"must be an object", message, StringComparison.Ordinal);
        Assert.Contains($"got {described}", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"type":null}""")]
    [InlineData("""{"allowed_hosts":["example.com"]}""")]
    public void ParseCreate_NetworkingWithoutType_FailsOnNetworkingType(string networking)
    {
        var message = RefusedOn(networking, "config.networking.type");

        Assert.Equal("Missing required field: config.networking.type", message);
    }

    [Theory]
    [InlineData("\"open\"")]
    [InlineData("\"Limited\"")]
    [InlineData("\"allowed-hosts\"")]
    public void ParseCreate_UnknownNetworkingType_FailsListingTheTypes(string type)
    {
        var message = RefusedOn($$"""{"type":{{type}}}""", "config.networking.type");

        Assert.Contains("unrestricted, limited or allowed_hosts", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_NetworkingTypeNotAString_FailsOnNetworkingType()
    {
        var message = RefusedOn("""{"type":1}""", "config.networking.type");

        Assert.Contains("must be a string", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_Unrestricted_IsAccepted()
    {
        var networking = AcceptedNetworking("""{"type":"unrestricted"}""");

        Assert.Equal(NetworkingConfig.Unrestricted, networking);
    }

    [Fact]
    public void ParseCreate_LimitedAlone_IsAccepted()
    {
        var networking = AcceptedNetworking("""{"type":"limited"}""");

        Assert.Equal(new NetworkingConfig(NetworkingType.Limited, null, null, null), networking);
    }

    [Fact]
    public void ParseCreate_LimitedWithEverything_KeepsEverything()
    {
        var networking = AcceptedNetworking("""
            {"type":"limited","allowed_hosts":["api.example.com","*.cdn.test"],
             "allow_package_managers":false,"allow_mcp_servers":true}
            """);

        var expected = new NetworkingConfig(NetworkingType.Limited, ["api.example.com", "*.cdn.test"], false, true);
        Assert.Equal(expected, networking);
    }

    [Fact]
    public void ParseCreate_LimitedWithEmptyAllowedHosts_IsAccepted()
    {
        var networking = AcceptedNetworking("""{"type":"limited","allowed_hosts":[]}""");

        Assert.Equal([], networking!.AllowedHosts);
    }

    [Fact]
    public void ParseCreate_AllowedHosts_IsAccepted()
    {
        var networking = AcceptedNetworking("""{"type":"allowed_hosts","allowed_hosts":["example.com"]}""");

        Assert.Equal(new NetworkingConfig(NetworkingType.AllowedHosts, ["example.com"], null, null), networking);
    }

    [Fact]
    public void ParseCreate_Allowlist_IsStoredAsAllowedHosts()
    {
        var body = WithNetworking("""{"type":"allowlist","allowed_hosts":["example.com"]}""");

        var draft = AssertAccepted(EnvironmentRequests.ParseCreate(body));

        Assert.Equal(NetworkingType.AllowedHosts, draft.Config.Networking!.Type);
        Assert.Equal(
            """{"type":"cloud","networking":{"type":"allowed_hosts","allowed_hosts":["example.com"]}}""",
            draft.Config.ToJson());
    }

    [Theory]
    [InlineData("allowed_hosts")]
    [InlineData("allowlist")]
    public void ParseCreate_AllowedHostsTypeWithoutHosts_FailsOnAllowedHosts(string type)
    {
        var message = RefusedOn($$"""{"type":"{{type}}"}""", "config.networking.allowed_hosts");

        Assert.Contains("is required", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_AllowedHostsTypeWithNullHosts_FailsOnAllowedHosts()
    {
        var message = RefusedOn("""{"type":"allowed_hosts","allowed_hosts":null}""", "config.networking.allowed_hosts");

        Assert.Contains("is required", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_AllowedHostsTypeWithEmptyHosts_FailsOnAllowedHosts()
    {
        var message = RefusedOn("""{"type":"allowed_hosts","allowed_hosts":[]}""", "config.networking.allowed_hosts");

        Assert.Contains("must not be empty", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[\"example.com\"]")]
    public void ParseCreate_UnrestrictedWithAllowedHosts_FailsOnAllowedHosts(string hosts)
    {
        var networking = $$"""{"type":"unrestricted","allowed_hosts":{{hosts}}}""";

        var message = RefusedOn(networking, "config.networking.allowed_hosts");

        Assert.Contains("not allowed when config.networking.type is unrestricted", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_UnrestrictedWithNullAllowedHosts_IsAccepted()
    {
        var networking = AcceptedNetworking("""{"type":"unrestricted","allowed_hosts":null}""");

        Assert.Equal(NetworkingConfig.Unrestricted, networking);
    }

    [Theory]
    [InlineData("\"example.com\"")]
    [InlineData("{}")]
    public void ParseCreate_AllowedHostsNotAnArray_FailsOnAllowedHosts(string hosts)
    {
        var networking = $$"""{"type":"limited","allowed_hosts":{{hosts}}}""";

        var message = RefusedOn(networking, "config.networking.allowed_hosts");

        Assert.Contains("must be an array of host patterns", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_AllowedHostsItemNotAString_FailsOnThatItem()
    {
        var networking = """{"type":"limited","allowed_hosts":["a.test","b.test",3]}""";

        var message = RefusedOn(networking, "config.networking.allowed_hosts[2]");

        Assert.Contains("must be a string", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_InvalidHostPattern_FailsOnThatItemSayingWhatIsAccepted()
    {
        var networking = """{"type":"allowed_hosts","allowed_hosts":["a.test","b.test","https://c.test"]}""";

        var message = RefusedOn(networking, "config.networking.allowed_hosts[2]");

        Assert.Contains("\"https://c.test\" is not a valid host pattern", message, StringComparison.Ordinal);
        Assert.Contains("scheme", message, StringComparison.Ordinal);
        Assert.Contains("*.example.com", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_256HostPatterns_IsAccepted()
    {
        var hosts = ArrayOf(256, i => $"h{i}.example.com");

        var networking = AcceptedNetworking($$"""{"type":"allowed_hosts","allowed_hosts":{{hosts}}}""");

        Assert.Equal(256, networking!.AllowedHosts!.Count);
    }

    [Fact]
    public void ParseCreate_257HostPatterns_FailsOnAllowedHosts()
    {
        var hosts = ArrayOf(257, i => $"h{i}.example.com");

        var networking = $$"""{"type":"allowed_hosts","allowed_hosts":{{hosts}}}""";

        var message = RefusedOn(networking, "config.networking.allowed_hosts");

        Assert.Contains("at most 256 host patterns; got 257", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"unrestricted","allow_package_managers":false}""", "allow_package_managers")]
    [InlineData("""{"type":"unrestricted","allow_package_managers":true}""", "allow_package_managers")]
    [InlineData("""{"type":"unrestricted","allow_mcp_servers":false}""", "allow_mcp_servers")]
    [InlineData("""{"type":"unrestricted","allow_mcp_servers":"yes"}""", "allow_mcp_servers")]
    [InlineData("""{"type":"allowed_hosts","allowed_hosts":["a.test"],"allow_package_managers":false}""",
        "allow_package_managers")]
    [InlineData("""{"type":"allowed_hosts","allowed_hosts":["a.test"],"allow_mcp_servers":true}""",
        "allow_mcp_servers")]
    [InlineData("""{"type":"allowlist","allowed_hosts":["a.test"],"allow_mcp_servers":false}""",
        "allow_mcp_servers")]
    public void ParseCreate_FlagWithTypeOtherThanLimited_FailsOnTheFlag(string networking, string flag)
    {
        var message = RefusedOn(networking, $"config.networking.{flag}");

        Assert.Contains("only allowed when config.networking.type is limited", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("allow_package_managers")]
    [InlineData("allow_mcp_servers")]
    public void ParseCreate_NullFlagWithOtherType_IsOmitted(string flag)
    {
        var networking = AcceptedNetworking($$"""{"type":"unrestricted","{{flag}}":null}""");

        Assert.Equal(NetworkingConfig.Unrestricted, networking);
    }

    [Theory]
    [InlineData("allow_package_managers", "\"true\"")]
    [InlineData("allow_package_managers", "1")]
    [InlineData("allow_mcp_servers", "{}")]
    public void ParseCreate_FlagNotABoolean_FailsOnTheFlag(string flag, string value)
    {
        var message = RefusedOn($$"""{"type":"limited","{{flag}}":{{value}}}""", $"config.networking.{flag}");

        Assert.Contains("must be a boolean", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_UnknownNetworkingFields_AreIgnored()
    {
        var networking = AcceptedNetworking("""{"type":"limited","ports":[443],"comment":"x"}""");

        Assert.Equal(new NetworkingConfig(NetworkingType.Limited, null, null, null), networking);
    }
}
