using Berth.Core.Environments;
using static Berth.Core.Tests.Environments.RequestBodies;

namespace Berth.Core.Tests.Environments;

public sealed class CreateRequestTests
{
    [Fact]
    public void ParseCreate_MinimalBody_AppliesDefaults()
    {
        var body = Parse("""{"name":"doc-test-env","config":{"type":"cloud"}}""");

        var draft = AssertAccepted(EnvironmentRequests.ParseCreate(body));

        Assert.Equal("doc-test-env", draft.Name);
        Assert.Equal("", draft.Description);
        Assert.Empty(draft.Metadata);
        Assert.Equal(new EnvironmentConfig(null, null, null), draft.Config);
    }

    [Fact]
    public void ParseCreate_FullBody_KeepsEveryField()
    {
        var body = Parse("""
            {"name":"full","description":"all fields","metadata":{"team":"infra","tier":"1"},
             "config":{"type":"cloud","networking":{"type":"limited","allowed_hosts":["*.example.com"],
               "allow_package_managers":true,"allow_mcp_servers":false},
               "packages":{"type":"packages","apt":["curl"],"pip":["pandas"],"npm":["lodash"]},
               "setup_script":"echo hi"}}
            """);

        var draft = AssertAccepted(EnvironmentRequests.ParseCreate(body));

        Assert.Equal("all fields", draft.Description);
        Assert.Equal(["team", "tier"], draft.Metadata.Keys);
        Assert.Equal("infra", draft.Metadata["team"]);
        var expected = new EnvironmentConfig(
            new NetworkingConfig(NetworkingType.Limited, ["*.example.com"], true, false),
            new PackagesConfig(["curl"], ["pandas"], ["lodash"]),
            "echo hi");
        Assert.Equal(expected, draft.Config);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void ParseCreate_BodyNotAnObject_FailsWithoutParam(string json)
    {
        var result = EnvironmentRequests.ParseCreate(Parse(json));

        var message = AssertRefused(result, param: null);
        Assert.Contains("JSON object", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_WithoutName_FailsOnName()
    {
        var result = EnvironmentRequests.ParseCreate(Parse("""{"config":{"type":"cloud"}}"""));

        Assert.Equal("Missing required field: name", AssertRefused(result, "name"));
    }

    [Fact]
    public void ParseCreate_NullName_FailsAsMissing()
    {
        var result = EnvironmentRequests.ParseCreate(Parse("""{"name":null,"config":{"type":"cloud"}}"""));

        Assert.Equal("Missing required field: name", AssertRefused(result, "name"));
    }

    [Theory]
    [InlineData("42")]
    [InlineData("true")]
    [InlineData("[\"a\"]")]
    [InlineData("{}")]
    public void ParseCreate_NameNotAString_FailsOnName(string name)
    {
        var result = EnvironmentRequests.ParseCreate(Parse($$$"""{"name":{{{name}}},"config":{"type":"cloud"}}"""));

        Assert.Contains("name must be a string", AssertRefused(result, "name"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\\t\\n")]
    public void ParseCreate_EmptyOrWhitespaceName_FailsOnName(string name)
    {
        var result = EnvironmentRequests.ParseCreate(Parse($$$"""{"name":"{{{name}}}","config":{"type":"cloud"}}"""));

        Assert.Contains("must not be empty", AssertRefused(result, "name"), StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_NameWithSurroundingSpaces_IsStoredAsSent()
    {
        var body = Parse("""{"name":"  padded  ","config":{"type":"cloud"}}""");

        var draft = AssertAccepted(EnvironmentRequests.ParseCreate(body));

        Assert.Equal("  padded  ", draft.Name);
    }

    [Fact]
    public void ParseCreate_NameOf256Characters_IsAccepted()
    {
        var name = new string('n', 256);

        var result = EnvironmentRequests.ParseCreate(Parse($$$"""{"name":"{{{name}}}","config":{"type":"cloud"}}"""));

        Assert.Equal(name, AssertAccepted(result).Name);
    }

    [Fact]
    public void ParseCreate_NameOf257Characters_FailsOnName()
    {
        var name = new string('n', 257);

        var result = EnvironmentRequests.ParseCreate(Parse($$$"""{"name":"{{{name}}}","config":{"type":"cloud"}}"""));

        Assert.Contains("at most 256 characters; got 257", AssertRefused(result, "name"), StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_NameOf256Emoji_IsAccepted()
    {
        // Each emoji is two UTF-16 code units but one character, as clients count it.
        var name = string.Concat(Enumerable.Repeat("😀", 256));

        var result = EnvironmentRequests.ParseCreate(Parse($$$"""{"name":"{{{name}}}","config":{"type":"cloud"}}"""));

        Assert.True(result.IsValid);
    }

    [Fact]
    public void ParseCreate_NameWithUnpairedSurrogateEscape_FailsOnName()
    {
        var result = EnvironmentRequests.ParseCreate(Parse("""{"name":"a\ud800b","config":{"type":"cloud"}}"""));

        Assert.Contains("valid Unicode", AssertRefused(result, "name"), StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_NullDescription_DefaultsToEmpty()
    {
        var body = Parse("""{"name":"env","description":null,"config":{"type":"cloud"}}""");

        var draft = AssertAccepted(EnvironmentRequests.ParseCreate(body));

        Assert.Equal("", draft.Description);
    }

    [Fact]
    public void ParseCreate_DescriptionNotAString_FailsOnDescription()
    {
        var body = Parse("""{"name":"env","description":5,"config":{"type":"cloud"}}""");

        var message = AssertRefused(EnvironmentRequests.ParseCreate(body), "description");

        Assert.Contains("description must be a string", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_DescriptionOf2048Characters_IsAccepted()
    {
        var description = new string('d', 2048);
        var body = Parse($$$"""{"name":"env","description":"{{{description}}}","config":{"type":"cloud"}}""");

        var draft = AssertAccepted(EnvironmentRequests.ParseCreate(body));

        Assert.Equal(description, draft.Description);
    }

    [Fact]
    public void ParseCreate_DescriptionOf2049Characters_FailsOnDescription()
    {
        var description = new string('d', 2049);
        var body = Parse($$$"""{"name":"env","description":"{{{description}}}","config":{"type":"cloud"}}""");

        var message = AssertRefused(EnvironmentRequests.ParseCreate(body), "description");

        Assert.Contains("at most 2,048 characters", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_WithoutConfig_FailsOnConfig()
    {
        var result = EnvironmentRequests.ParseCreate(Parse("""{"name":"env"}"""));

        Assert.Equal("Missing required field: config", AssertRefused(result, "config"));
    }

    [Fact]
    public void ParseCreate_NullConfig_FailsAsMissing()
    {
        var result = EnvironmentRequests.ParseCreate(Parse("""{"name":"env","config":null}"""));

        Assert.Equal("Missing required field: config", AssertRefused(result, "config"));
    }

    [Theory]
    [InlineData("\"cloud\"")]
    [InlineData("[]")]
    [InlineData("1")]
    public void ParseCreate_ConfigNotAnObject_FailsOnConfig(string config)
    {
        var result = EnvironmentRequests.ParseCreate(WithConfig(config));

        Assert.Contains("config must be an object", AssertRefused(result, "config"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"type":null}""")]
    public void ParseCreate_WithoutConfigType_FailsOnConfigType(string config)
    {
        var result = EnvironmentRequests.ParseCreate(WithConfig(config));

        Assert.Equal("Missing required field: config.type", AssertRefused(result, "config.type"));
    }

    [Theory]
    [InlineData("\"docker\"")]
    [InlineData("\"Cloud\"")]
    [InlineData("\"\"")]
    public void ParseCreate_ConfigTypeNotCloud_FailsOnConfigType(string type)
    {
        var result = EnvironmentRequests.ParseCreate(WithConfig($$"""{"type":{{type}}}"""));

        Assert.Contains("\"cloud\"", AssertRefused(result, "config.type"), StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_ConfigTypeNotAString_FailsOnConfigType()
    {
        var result = EnvironmentRequests.ParseCreate(WithConfig("""{"type":1}"""));

        Assert.Contains("must be a string", AssertRefused(result, "config.type"), StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCreate_UnknownFields_AreIgnoredAndNotStored()
    {
        var body = Parse("""
            {"name":"env","status":"archived","id":"env_x","extra":{"a":1},
             "config":{"type":"cloud","image":"ubuntu","gpu":true}}
            """);

        var draft = AssertAccepted(EnvironmentRequests.ParseCreate(body));

        Assert.Equal("""{"type":"cloud"}""", draft.Config.ToJson());
    }

    [Fact]
    public void ParseCreate_FieldNamesAreCaseSensitive()
    {
        var result = EnvironmentRequests.ParseCreate(Parse("""{"Name":"env","config":{"type":"cloud"}}"""));

        Assert.Equal("Missing required field: name", AssertRefused(result, "name"));
    }

    [Fact]
    public void ParseCreate_SeveralProblems_ReportsTheFirstInFieldOrder()
    {
        var body = Parse("""{"config":{"type":"docker"},"metadata":[],"description":1}""");

        var result = EnvironmentRequests.ParseCreate(body);

        AssertRefused(result, "name");
    }

    [Fact]
    public void ParseCreate_BadDescriptionAndConfig_ReportsDescription()
    {
        var body = Parse("""{"name":"env","config":{"type":"docker"},"description":1}""");

        var result = EnvironmentRequests.ParseCreate(body);

        AssertRefused(result, "description");
    }
}
