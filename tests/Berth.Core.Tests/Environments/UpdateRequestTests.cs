using Berth.Core.Environments;
using static Berth.Core.Tests.Environments.RequestBodies;

namespace Berth.Core.Tests.Environments;

public sealed class UpdateRequestTests
{
    [Fact]
    public void ParseUpdate_EmptyBody_KeepsEverything()
    {
        var patch = AssertAccepted(EnvironmentRequests.ParseUpdate(Parse("{}")));

        Assert.Equal(new EnvironmentPatch(null, null, null, null), patch);
    }

    [Fact]
    public void ParseUpdate_NullFields_KeepEverything()
    {
        var body = Parse("""{"name":null,"config":null,"metadata":null}""");

        var patch = AssertAccepted(EnvironmentRequests.ParseUpdate(body));

        Assert.Equal(new EnvironmentPatch(null, null, null, null), patch);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"name\"")]
    public void ParseUpdate_BodyNotAnObject_FailsWithoutParam(string json)
    {
        var message = AssertRefused(EnvironmentRequests.ParseUpdate(Parse(json)), param: null);

        Assert.Contains("JSON object", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseUpdate_Name_IsReplacedAsSent()
    {
        var patch = AssertAccepted(EnvironmentRequests.ParseUpdate(Parse("""{"name":" renamed "}""")));

        Assert.Equal(" renamed ", patch.Name);
    }

    [Theory]
    [InlineData("\"\"", "must not be empty")]
    [InlineData("\"  \"", "must not be empty")]
    [InlineData("7", "must be a string")]
    public void ParseUpdate_BadName_FailsOnName(string name, string expected)
    {
        var message = AssertRefused(EnvironmentRequests.ParseUpdate(Parse($$"""{"name":{{name}}}""")), "name");

        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseUpdate_NameTooLong_FailsOnName()
    {
        var body = Parse($$"""{"name":"{{new string('n', 257)}}"}""");

        AssertRefused(EnvironmentRequests.ParseUpdate(body), "name");
    }

    [Fact]
    public void ParseUpdate_NullDescription_ClearsIt()
    {
        var patch = AssertAccepted(EnvironmentRequests.ParseUpdate(Parse("""{"description":null}""")));

        Assert.Equal("", patch.Description);
    }

    [Fact]
    public void ParseUpdate_OmittedDescription_KeepsIt()
    {
        var patch = AssertAccepted(EnvironmentRequests.ParseUpdate(Parse("""{"name":"n"}""")));

        Assert.Null(patch.Description);
    }

    [Fact]
    public void ParseUpdate_DescriptionTooLong_FailsOnDescription()
    {
        var body = Parse($$"""{"description":"{{new string('d', 2049)}}"}""");

        AssertRefused(EnvironmentRequests.ParseUpdate(body), "description");
    }

    [Fact]
    public void ParseUpdate_ConfigWithoutType_FailsOnConfigType()
    {
        var body = Parse("""{"config":{"setup_script":"echo"}}""");

        var message = AssertRefused(EnvironmentRequests.ParseUpdate(body), "config.type");

        Assert.Equal("Missing required field: config.type", message);
    }

    [Fact]
    public void ParseUpdate_ConfigTypeChanged_FailsOnConfigType()
    {
        var body = Parse("""{"config":{"type":"self_hosted"}}""");

        var message = AssertRefused(EnvironmentRequests.ParseUpdate(body), "config.type");

        Assert.Contains("cannot change", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseUpdate_ConfigNotAnObject_FailsOnConfig()
    {
        AssertRefused(EnvironmentRequests.ParseUpdate(Parse("""{"config":"cloud"}""")), "config");
    }

    [Fact]
    public void ParseUpdate_ConfigWithOnlyType_KeepsEveryPart()
    {
        var patch = AssertAccepted(EnvironmentRequests.ParseUpdate(Parse("""{"config":{"type":"cloud"}}""")));

        Assert.Equal(new ConfigPatch(null, null, null), patch.Config);
    }

    [Fact]
    public void ParseUpdate_ConfigParts_AreReplacements()
    {
        var body = Parse("""
            {"config":{"type":"cloud","networking":{"type":"allowlist","allowed_hosts":["x.test"]},
             "packages":{"pip":["numpy"]},"setup_script":"","unknown":1}}
            """);

        var patch = AssertAccepted(EnvironmentRequests.ParseUpdate(body));

        var expected = new ConfigPatch(
            new NetworkingConfig(NetworkingType.AllowedHosts, ["x.test"], null, null),
            new PackagesConfig(null, ["numpy"], null),
            "");
        Assert.Equal(expected, patch.Config);
    }

    [Theory]
    [InlineData("""{"config":{"type":"cloud","networking":"limited"}}""", "config.networking")]
    [InlineData("""{"config":{"type":"cloud","networking":{"type":"limited","allow_mcp_servers":1}}}""",
        "config.networking.allow_mcp_servers")]
    [InlineData("""{"config":{"type":"cloud","packages":{"gem":["rails"]}}}""", "config.packages.gem")]
    [InlineData("""{"config":{"type":"cloud","packages":{"npm":["a","B"]}}}""", "config.packages.npm[1]")]
    [InlineData("""{"config":{"type":"cloud","setup_script":false}}""", "config.setup_script")]
    public void ParseUpdate_InvalidConfigPart_FailsAsOnCreate(string json, string param)
    {
        AssertRefused(EnvironmentRequests.ParseUpdate(Parse(json)), param);
    }

    [Fact]
    public void ParseUpdate_UnknownFields_AreIgnored()
    {
        var patch = AssertAccepted(EnvironmentRequests.ParseUpdate(Parse("""{"status":"archived","x":[1]}""")));

        Assert.Equal(new EnvironmentPatch(null, null, null, null), patch);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"k=v\"")]
    public void ParseUpdate_MetadataNotAnObject_FailsOnMetadata(string metadata)
    {
        AssertRefused(EnvironmentRequests.ParseUpdate(Parse($$"""{"metadata":{{metadata}}}""")), "metadata");
    }
}
