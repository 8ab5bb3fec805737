using Berth.Api.Tests.Fixtures;
using Xunit.Abstractions;

namespace Berth.Api.Tests.Properties;

public sealed class ScratchRepro(ApiServer server, ITestOutputHelper output) : IClassFixture<ApiServer>
{
    [Theory]
    [InlineData("""{"name":"a","description":"a\u0000\udbff\udfffb","config":{"type":"cloud"}}""")]
    [InlineData("""{"name":"a","description":"a\udbff\udfffb","config":{"type":"cloud"}}""")]
    [InlineData("""{"name":"a","description":"a\u0000q\udbff\udfffb","config":{"type":"cloud"}}""")]
    [InlineData("""{"name":"a","description":"a\ufffeb\uffffc","config":{"type":"cloud"}}""")]
    [InlineData("""{"name":"a","description":"a\u0000\ufffeb","config":{"type":"cloud"}}""")]
    public async Task Repro(string body)
    {
        using var client = await server.NewClientAsync();
        var created = await client.PostJsonAsync("/v1/environments", body);
        var text = await created.Content.ReadAsStringAsync();
        output.WriteLine($"{(int)created.StatusCode} {text}");
        var id = System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("id").GetString();
        var fetched = await (await client.GetAsync($"/v1/environments/{id}")).Content.ReadAsStringAsync();
        output.WriteLine($"GET {fetched}");
    }
}
