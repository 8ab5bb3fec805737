using Berth.Api.Tests.Fixtures;

namespace Berth.Api.Tests.Environments;

/// <summary>Each validation rule of the environments contract, over HTTP, with the param it names.</summary>
public sealed class EnvironmentValidationTests(ApiServer server) : IClassFixture<ApiServer>
{
    private static readonly string LongName = new('n', 257);
    private static readonly string LongDescription = new('d', 2049);
    private static readonly string LongScript = new('s', 65537);
    private static readonly string ManyHosts = string.Join(",", Enumerable.Range(0, 257).Select(i => $"\"h{i}.example.com\""));
    private static readonly string ManyPackages = string.Join(",", Enumerable.Range(0, 257).Select(i => $"\"pkg{i}\""));
    private static readonly string ManyKeys = string.Join(",", Enumerable.Range(0, 17).Select(i => $"\"k{i}\":\"v\""));

    public static TheoryData<string, string?> InvalidCreates => new()
    {
        { """{"config":{"type":"cloud"}}""", "name" },
        { """{"name":null,"config":{"type":"cloud"}}""", "name" },
        { """{"name":"   ","config":{"type":"cloud"}}""", "name" },
        { """{"name":42,"config":{"type":"cloud"}}""", "name" },
        { $$$"""{"name":"{{{LongName}}}","config":{"type":"cloud"}}""", "name" },
        { """{"name":"x"}""", "config" },
        { """{"name":"x","config":null}""", "config" },
        { """{"name":"x","config":"cloud"}""", "config" },
        { """{"name":"x","config":{}}""", "config.type" },
        { """{"name":"x","config":{"type":"self_hosted"}}""", "config.type" },
        { """{"name":"x","config":{"type":1}}""", "config.type" },
        { $$$"""{"name":"x","description":"{{{LongDescription}}}","config":{"type":"cloud"}}""", "description" },
        { """{"name":"x","description":5,"config":{"type":"cloud"}}""", "description" },
        { """{"name":"x","metadata":[],"config":{"type":"cloud"}}""", "metadata" },
        { """{"name":"x","metadata":{""" + ManyKeys + """},"config":{"type":"cloud"}}""", "metadata" },
        { """{"name":"x","config":{"type":"cloud","networking":"unrestricted"}}""", "config.networking" },
        { """{"name":"x","config":{"type":"cloud","networking":{}}}""", "config.networking.type" },
        { """{"name":"x","config":{"type":"cloud","networking":{"type":"open"}}}""", "config.networking.type" },
        { """{"name":"x","config":{"type":"cloud","networking":{"type":"allowed_hosts"}}}""", "config.networking.allowed_hosts" },
        { """{"name":"x","config":{"type":"cloud","networking":{"type":"allowed_hosts","allowed_hosts":[]}}}""", "config.networking.allowed_hosts" },
        { """{"name":"x","config":{"type":"cloud","networking":{"type":"unrestricted","allowed_hosts":["a.com"]}}}""", "config.networking.allowed_hosts" },
        { """{"name":"x","config":{"type":"cloud","networking":{"type":"limited","allowed_hosts":"a.com"}}}""", "config.networking.allowed_hosts" },
        { """{"name":"x","config":{"type":"cloud","networking":{"type":"limited","allowed_hosts":["a.com","https://b.com"]}}}""", "config.networking.allowed_hosts[1]" },
        { """{"name":"x","config":{"type":"cloud","networking":{"type":"limited","allowed_hosts":["a.com:443"]}}}""", "config.networking.allowed_hosts[0]" },
        { """{"name":"x","config":{"type":"cloud","networking":{"type":"limited","allowed_hosts":["10.0.0.1"]}}}""", "config.networking.allowed_hosts[0]" },
        { """{"name":"x","config":{"type":"cloud","networking":{"type":"limited","allowed_hosts":["Upper.com"]}}}""", "config.networking.allowed_hosts[0]" },
        { """{"name":"x","config":{"type":"cloud","networking":{"type":"limited","allowed_hosts":["a.com/path"]}}}""", "config.networking.allowed_hosts[0]" },
        { """{"name":"x","config":{"type":"cloud","networking":{"type":"limited","allowed_hosts":[""" + ManyHosts + """]}}}""", "config.networking.allowed_hosts" },
        { """{"name":"x","config":{"type":"cloud","networking":{"type":"unrestricted","allow_package_managers":false}}}""", "config.networking.allow_package_managers" },
        { """{"name":"x","config":{"type":"cloud","networking":{"type":"allowed_hosts","allowed_hosts":["a.com"],"allow_mcp_servers":true}}}""", "config.networking.allow_mcp_servers" },
        { """{"name":"x","config":{"type":"cloud","networking":{"type":"limited","allow_package_managers":"yes"}}}""", "config.networking.allow_package_managers" },
        { """{"name":"x","config":{"type":"cloud","packages":["curl"]}}""", "config.packages" },
        { """{"name":"x","config":{"type":"cloud","packages":{"cargo":["serde"]}}}""", "config.packages.cargo" },
        { """{"name":"x","config":{"type":"cloud","packages":{"apt":"curl"}}}""", "config.packages.apt" },
        { """{"name":"x","config":{"type":"cloud","packages":{"apt":["curl","-y"]}}}""", "config.packages.apt[1]" },
        { """{"name":"x","config":{"type":"cloud","packages":{"apt":["curl","git","a;rm"]}}}""", "config.packages.apt[2]" },
        { """{"name":"x","config":{"type":"cloud","packages":{"apt":["has space"]}}}""", "config.packages.apt[0]" },
        { """{"name":"x","config":{"type":"cloud","packages":{"apt":["x<1"]}}}""", "config.packages.apt[0]" },
        { """{"name":"x","config":{"type":"cloud","packages":{"apt":[5]}}}""", "config.packages.apt[0]" },
        { """{"name":"x","config":{"type":"cloud","packages":{"pip":["ok","$(id)"]}}}""", "config.packages.pip[1]" },
        { """{"name":"x","config":{"type":"cloud","packages":{"npm":["a|b"]}}}""", "config.packages.npm[0]" },
        { """{"name":"x","config":{"type":"cloud","packages":{"npm":["`id`"]}}}""", "config.packages.npm[0]" },
        { """{"name":"x","config":{"type":"cloud","packages":{"apt":[""" + ManyPackages + """]}}}""", "config.packages.apt" },
        { """{"name":"x","config":{"type":"cloud","packages":{"pip":[""" + "\"" + new string('a', 215) + "\"" + """]}}}""", "config.packages.pip[0]" },
        { """{"name":"x","config":{"type":"cloud","setup_script":7}}""", "config.setup_script" },
        { """{"name":"x","config":{"type":"cloud","setup_script":"echo a\u0000b"}}""", "config.setup_script" },
        { $$$"""{"name":"x","config":{"type":"cloud","setup_script":"{{{LongScript}}}"}}""", "config.setup_script" },
    };

    [Theory]
    [MemberData(nameof(InvalidCreates))]
    public async Task Create_InvalidBody_Returns400NamingTheField(string body, string? param)
    {
        using var client = await server.NewClientAsync();

        var response = await client.PostJsonAsync("/v1/environments", body);

        await response.AssertErrorAsync(400, "invalid_request_error", param);
        var list = await (await client.GetAsync("/v1/environments?include_archived=true")).ReadJsonAsync();
        Assert.Empty(list.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Create_WithoutName_SaysMissingRequiredField()
    {
        using var client = await server.NewClientAsync();

        var response = await client.PostJsonAsync("/v1/environments", """{"config":{"type":"cloud"}}""");

        var error = await response.AssertErrorAsync(400, "invalid_request_error", "name");
        Assert.Equal("Missing required field: name", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Create_WithoutConfig_SaysMissingRequiredField()
    {
        using var client = await server.NewClientAsync();

        var response = await client.PostJsonAsync("/v1/environments", """{"name":"x"}""");

        var error = await response.AssertErrorAsync(400, "invalid_request_error", "config");
        Assert.Equal("Missing required field: config", error.GetProperty("message").GetString());
    }

    public static TheoryData<string> ValidCreates => new()
    {
        """{"name":"x","config":{"type":"cloud","networking":{"type":"unrestricted"}}}""",
        """{"name":"x","config":{"type":"cloud","networking":{"type":"limited","allowed_hosts":["*.example.com"],"allow_package_managers":true,"allow_mcp_servers":false}}}""",
        """{"name":"x","config":{"type":"cloud","packages":{"apt":["curl","python3=3.11.2-1","git/bookworm"],"pip":["pandas","PyYAML==6.0.1","requests[socks]>=2.31"],"npm":["is-number","@types/node","lodash@4.17.21","typescript@latest"]}}}""",
        """{"name":"x","description":null,"metadata":null,"config":{"type":"cloud","networking":null,"packages":null,"setup_script":null}}""",
        $$$"""{"name":"{{{new string('n', 256)}}}","description":"{{{new string('d', 2048)}}}","config":{"type":"cloud","setup_script":"{{{new string('s', 65536)}}}"}}""",
    };

    [Theory]
    [MemberData(nameof(ValidCreates))]
    public async Task Create_ValidBody_Returns201(string body)
    {
        using var client = await server.NewClientAsync();

        var response = await client.PostJsonAsync("/v1/environments", body);

        Assert.Equal(201, (int)response.StatusCode);
    }
}
