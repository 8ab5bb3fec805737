using System.Text;
using System.Text.Json;
using Berth.Core.Environments;
using static Berth.Core.Tests.Environments.RequestBodies;

namespace Berth.Core.Tests.Environments;

public sealed class EnvironmentConfigJsonTests
{
    private static EnvironmentConfig ParseConfig(string config) =>
        AssertAccepted(EnvironmentRequests.ParseCreate(WithConfig(config))).Config;

    [Fact]
    public void ToJson_EmptyConfig_WritesOnlyTheType()
    {
        var json = new EnvironmentConfig(null, null, null).ToJson();

        Assert.Equal("""{"type":"cloud"}""", json);
    }

    [Fact]
    public void ToJson_WritesFieldsInContractOrderWhateverTheOrderSent()
    {
        var config = ParseConfig("""
            {"setup_script":"make","packages":{"npm":["a"],"apt":["curl"]},
             "networking":{"allow_mcp_servers":true,"type":"limited","allowed_hosts":["x.test"]},"type":"cloud"}
            """);

        var json = config.ToJson();

        Assert.Equal(
            """
            {"type":"cloud","networking":{"type":"limited","allowed_hosts":["x.test"],"allow_mcp_servers":true},"packages":{"apt":["curl"],"npm":["a"]},"setup_script":"make"}
            """,
            json);
    }

    [Fact]
    public void ToJson_WritesOnlyWhatWasSent()
    {
        var config = ParseConfig("""{"type":"cloud","networking":{"type":"limited","allow_package_managers":false}}""");

        var json = config.ToJson();

        Assert.Equal("""{"type":"cloud","networking":{"type":"limited","allow_package_managers":false}}""", json);
    }

    [Fact]
    public void ToJson_KeepsEmptyListsThatWereSent()
    {
        const string sent = """{"type":"cloud","networking":{"type":"limited","allowed_hosts":[]},"packages":{"pip":[]}}""";

        var json = ParseConfig(sent).ToJson();

        Assert.Equal(sent, json);
    }

    [Fact]
    public void ToJson_KeepsScriptsAndSpecsReadable()
    {
        var config = new EnvironmentConfig(null, new PackagesConfig(["g++"], null, null), "echo 'a' > \"b\" && é\n");

        var json = config.ToJson();

        Assert.Equal("""{"type":"cloud","packages":{"apt":["g++"]},"setup_script":"echo 'a' > \"b\" && é\n"}""", json);
    }

    [Theory]
    [InlineData("""{"type":"cloud"}""")]
    [InlineData("""{"type":"cloud","setup_script":""}""")]
    [InlineData("""{"type":"cloud","networking":{"type":"unrestricted"}}""")]
    [InlineData("""{"type":"cloud","networking":{"type":"limited","allowed_hosts":["*.a.test","b.test"],"allow_package_managers":true,"allow_mcp_servers":false}}""")]
    [InlineData("""{"type":"cloud","networking":{"type":"allowed_hosts","allowed_hosts":["a.test"]}}""")]
    [InlineData("""{"type":"cloud","packages":{}}""")]
    [InlineData("""{"type":"cloud","packages":{"apt":["curl","git=1:2.39.2-1"],"pip":["PyYAML==6.0.1"],"npm":["@types/node@20"]}}""")]
    [InlineData("""{"type":"cloud","setup_script":"#!/bin/bash\nset -e\necho \"done\" \u2713\n"}""")]
    public void FromJson_ReadsBackWhatToJsonWrote(string config)
    {
        var original = ParseConfig(config);

        var restored = EnvironmentConfig.FromJson(original.ToJson());

        Assert.Equal(original, restored);
        Assert.Equal(original.ToJson(), restored.ToJson());
    }

    [Fact]
    public void FromJson_AllowlistWrittenByAnotherTool_ReadsAsAllowedHosts()
    {
        const string stored = """{"type":"cloud","networking":{"type":"allowlist","allowed_hosts":["a.test"]}}""";

        var config = EnvironmentConfig.FromJson(stored);

        Assert.Equal(NetworkingType.AllowedHosts, config.Networking!.Type);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"type":"cloud","networking":{"type":"open"}}""")]
    [InlineData("""{"type":"cloud","networking":{}}""")]
    [InlineData("""{"type":"cloud","packages":{"apt":"curl"}}""")]
    public void FromJson_NotAStoredConfig_ThrowsFormatException(string json)
    {
        Assert.Throws<FormatException>(() => EnvironmentConfig.FromJson(json));
    }

    [Fact]
    public void WriteTo_WritesOneValue_SoItCanBeNestedInAnObject()
    {
        var config = new EnvironmentConfig(new NetworkingConfig(NetworkingType.Limited, null, null, null), null, null);
        using var stream = new MemoryStream();

        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("config");
            config.WriteTo(writer);
            writer.WriteEndObject();
        }

        var json = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Equal("""{"config":{"type":"cloud","networking":{"type":"limited"}}}""", json);
    }

    [Fact]
    public void Equality_ComparesListsByContent()
    {
        var left = new EnvironmentConfig(
            new NetworkingConfig(NetworkingType.Limited, ["a.test"], null, null),
            new PackagesConfig(["curl"], [], null),
            null);
        var right = new EnvironmentConfig(
            new NetworkingConfig(NetworkingType.Limited, new List<string> { "a.test" }, null, null),
            new PackagesConfig(new[] { "curl" }, new List<string>(), null),
            null);

        Assert.Equal(left, right);
        Assert.Equal(left.GetHashCode(), right.GetHashCode());
    }

    [Fact]
    public void Equality_TellsOmittedFromEmpty()
    {
        Assert.NotEqual(new PackagesConfig(null, null, null), new PackagesConfig([], null, null));
    }

    [Fact]
    public void EffectiveMembers_ApplyTheDocumentedDefaults()
    {
        var config = new EnvironmentConfig(null, null, null);

        Assert.Equal(NetworkingConfig.Unrestricted, config.EffectiveNetworking);
        Assert.Empty(config.EffectivePackages.EffectiveFor(PackageManager.Apt));
        Assert.Equal("", config.EffectiveSetupScript);
        Assert.False(config.EffectiveNetworking.EffectiveAllowPackageManagers);
        Assert.False(config.EffectiveNetworking.EffectiveAllowMcpServers);
        Assert.Empty(config.EffectiveNetworking.EffectiveAllowedHosts);
    }

    [Fact]
    public void EffectiveFlags_AreTrueOnlyForLimited()
    {
        var limited = new NetworkingConfig(NetworkingType.Limited, null, true, true);
        var allowedHosts = new NetworkingConfig(NetworkingType.AllowedHosts, ["a.test"], true, true);

        Assert.True(limited.EffectiveAllowPackageManagers);
        Assert.True(limited.EffectiveAllowMcpServers);
        Assert.False(allowedHosts.EffectiveAllowPackageManagers);
        Assert.False(allowedHosts.EffectiveAllowMcpServers);
    }

    [Fact]
    public void FindAllowedHostPattern_NamesTheFirstMatchingPattern()
    {
        var networking = new NetworkingConfig(
            NetworkingType.AllowedHosts, ["api.test", "*.cdn.test", "*.test"], null, null);

        Assert.Equal("*.cdn.test", networking.FindAllowedHostPattern("img.cdn.test"));
        Assert.Equal("api.test", networking.FindAllowedHostPattern("API.test."));
        Assert.Null(networking.FindAllowedHostPattern("example.com"));
    }
}
