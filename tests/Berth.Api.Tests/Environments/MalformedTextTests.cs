using System.Text.Json;
using Berth.Api.Tests.Fixtures;

namespace Berth.Api.Tests.Environments;

/// <summary>Text that is not valid Unicode, or that a store could cut short, in request bodies.</summary>
public sealed class MalformedTextTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Theory]
    [InlineData("""{"\udfffname":1,"name":"x","config":{"type":"cloud"}}""", null)]
    [InlineData("""{"\ud83d\u0041":1,"name":"x","config":{"type":"cloud"}}""", null)]
    [InlineData("""{"name":"x","config":{"type":"cloud","\ud800x":1}}""", "config")]
    [InlineData("""{"name":"x","config":{"type":"cloud","networking":{"type":"limited","\ude00\ud83d":1}}}""", "config.networking")]
    [InlineData("""{"name":"x","config":{"type":"cloud"},"extra":{"\ud800":1}}""", "extra")]
    [InlineData("""{"name":"x\udc00","config":{"type":"cloud"}}""", "name")]
    [InlineData("""{"name":"x","config":{"type":"cloud","packages":{"apt":["a","\ud800"]}}}""", "config.packages.apt[1]")]
    public async Task Create_LoneSurrogate_Returns400NamingWhereItIs(string body, string? param)
    {
        using var client = await server.NewClientAsync();

        var response = await client.PostJsonAsync("/v1/environments", body);

        await response.AssertErrorAsync(400, "invalid_request_error", param);
    }

    [Fact]
    public async Task Update_LoneSurrogateInAMemberName_Returns400()
    {
        using var client = await server.NewClientAsync();
        var created = await client.CreateEnvironmentAsync();

        var response = await client.PatchAsync(
            $"/v1/environments/{created.GetProperty("id").GetString()}", TestHttp.Json("""{"\udfffname":null}"""));

        await response.AssertErrorAsync(400, "invalid_request_error");
    }

    [Fact]
    public async Task Create_PairedSurrogateEscape_IsAccepted()
    {
        using var client = await server.NewClientAsync();

        var response = await client.PostJsonAsync("/v1/environments", """{"name":"\ud83d\ude00","config":{"type":"cloud"}}""");

        var created = await response.ReadJsonAsync();
        Assert.Equal("😀", created.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("\\ud83d\\u0041")]
    [InlineData("\\ude00\\ud83d")]
    [InlineData("pack\\ud800")]
    public async Task Create_LoneSurrogateInPackagesType_Returns400(string escaped)
    {
        using var client = await server.NewClientAsync();
        var body = """{"name":"x","config":{"type":"cloud","packages":{"type":""" + $"\"{escaped}\"" + "}}}";

        var response = await client.PostJsonAsync("/v1/environments", body);

        await response.AssertErrorAsync(400, "invalid_request_error", "config.packages.type");
    }

    public static TheoryData<string, string> LongTextWithNul => new()
    {
        { "description", "a\u0000" + new string('b', 600) },

        // 256 characters; stored, it becomes "", a name the contract forbids.
        { "name", "\u0000" + string.Concat(Enumerable.Repeat("😀", 255)) },
    };

    [Theory]
    [MemberData(nameof(LongTextWithNul))]
    public async Task Create_LongTextWithNul_IsStoredWhole(string field, string value)
    {
        using var client = await server.NewClientAsync();
        var body = new Dictionary<string, object> { ["name"] = "n", ["config"] = new { type = "cloud" }, [field] = value };

        var created = await (await client.PostJsonAsync("/v1/environments", JsonSerializer.Serialize(body))).ReadJsonAsync();

        var fetched = await (await client.GetAsync($"/v1/environments/{created.GetProperty("id").GetString()}")).ReadJsonAsync();
        Assert.Equal(value, created.GetProperty(field).GetString());
        Assert.Equal(value, fetched.GetProperty(field).GetString());
    }
}
