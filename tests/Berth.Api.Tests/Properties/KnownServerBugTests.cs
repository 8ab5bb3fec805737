using System.Text.Json;
using Berth.Api.Tests.Fixtures;

namespace Berth.Api.Tests.Properties;

/// <summary>
/// Server bugs the property test found, as the specifications they break. They are skipped until fixed;
/// then remove the Skip and the matching workaround in <see cref="KnownServerBugs"/>.
/// </summary>
public sealed class KnownServerBugTests(ApiServer server) : IClassFixture<ApiServer>
{
    private const string LoneSurrogateNameSkip =
        "Answers 500: JsonFields.TryGetPresent lets TryGetProperty's InvalidOperationException escape.";

    private const string LoneSurrogateMarkerSkip =
        "Answers 500: PackagesParser.CheckTypeMarker calls JsonElement.ValueEquals, which throws on the escape.";

    private const string NulTruncationSkip =
        "Microsoft.Data.Sqlite cuts a bound string over 512 UTF-8 bytes at its first U+0000.";

    [Theory(Skip = LoneSurrogateNameSkip)]
    [InlineData("""{"\udfffname":1,"name":"x","config":{"type":"cloud"}}""")]
    [InlineData("""{"\ud83d\u0041":1,"name":"x","config":{"type":"cloud"}}""")]
    [InlineData("""{"name":"x","config":{"type":"cloud","\ud800x":1}}""")]
    [InlineData("""{"name":"x","config":{"type":"cloud","networking":{"type":"limited","\ude00\ud83d":1}}}""")]
    public async Task Create_LoneSurrogateInAMemberName_IsNotAServerError(string body)
    {
        using var client = await server.NewClientAsync();

        var response = await client.PostJsonAsync("/v1/environments", body);

        Assert.True((int)response.StatusCode is 201 or 400, $"Got {(int)response.StatusCode}.");
    }

    [Fact(Skip = LoneSurrogateNameSkip)]
    public async Task Update_LoneSurrogateInAMemberName_IsNotAServerError()
    {
        using var client = await server.NewClientAsync();
        var created = await client.CreateEnvironmentAsync();

        var response = await client.PatchAsync(
            $"/v1/environments/{created.GetProperty("id").GetString()}", TestHttp.Json("""{"\udfffname":null}"""));

        Assert.True((int)response.StatusCode is 200 or 400, $"Got {(int)response.StatusCode}.");
    }

    [Theory(Skip = LoneSurrogateMarkerSkip)]
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

    [Theory(Skip = NulTruncationSkip)]
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
