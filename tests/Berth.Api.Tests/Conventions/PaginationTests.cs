using System.Text.Json;
using Berth.Api.Tests.Fixtures;

namespace Berth.Api.Tests.Conventions;

public sealed class PaginationTests(ApiServer server) : IClassFixture<ApiServer>
{
    private static List<string> Ids(JsonElement page) =>
        page.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();

    private static async Task<(HttpClient Client, List<string> NewestFirst)> SeedAsync(ApiServer server, int count)
    {
        var client = await server.NewClientAsync();
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await client.CreateEnvironmentAsync(name: $"e{i}")).GetProperty("id").GetString()!);
        }

        ids.Reverse();

        return (client, ids);
    }

    [Fact]
    public async Task List_Empty_HasNullCursors()
    {
        using var client = await server.NewClientAsync();

        var page = await (await client.GetAsync("/v1/environments")).ReadJsonAsync();

        Assert.Equal("""{"data":[],"first_id":null,"last_id":null,"has_more":false,"next_page":null}""", page.GetRawText());
    }

    [Fact]
    public async Task List_DefaultLimitIs20NewestFirst()
    {
        var (client, ids) = await SeedAsync(server, 23);
        using var _ = client;

        var page = await (await client.GetAsync("/v1/environments")).ReadJsonAsync();

        Assert.Equal(ids.Take(20), Ids(page));
        Assert.True(page.GetProperty("has_more").GetBoolean());
        Assert.Equal(ids[0], page.GetProperty("first_id").GetString());
        Assert.Equal(ids[19], page.GetProperty("last_id").GetString());
        Assert.Equal(ids[19], page.GetProperty("next_page").GetString());
    }

    [Fact]
    public async Task List_WalkingNextPage_SeesEveryItemOnce()
    {
        var (client, ids) = await SeedAsync(server, 7);
        using var _ = client;
        var seen = new List<string>();
        string? next = null;

        do
        {
            var page = await (await client.GetAsync($"/v1/environments?limit=3{(next is null ? "" : "&page=" + next)}")).ReadJsonAsync();
            seen.AddRange(Ids(page));
            next = page.GetProperty("next_page").GetString();
        }
        while (next is not null);

        Assert.Equal(ids, seen);
    }

    [Fact]
    public async Task List_BeforeId_ReturnsNearestNewerItemsNewestFirst()
    {
        var (client, ids) = await SeedAsync(server, 6);
        using var _ = client;

        var page = await (await client.GetAsync($"/v1/environments?limit=2&before_id={ids[4]}")).ReadJsonAsync();

        Assert.Equal([ids[2], ids[3]], Ids(page));
        Assert.True(page.GetProperty("has_more").GetBoolean());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_page").ValueKind);
    }

    [Fact]
    public async Task List_AfterId_ReturnsOlderItems()
    {
        var (client, ids) = await SeedAsync(server, 5);
        using var _ = client;

        var page = await (await client.GetAsync($"/v1/environments?after_id={ids[1]}")).ReadJsonAsync();

        Assert.Equal(ids.Skip(2), Ids(page));
        Assert.False(page.GetProperty("has_more").GetBoolean());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_page").ValueKind);
    }

    [Fact]
    public async Task List_PageWinsOverAfterAndBefore()
    {
        var (client, ids) = await SeedAsync(server, 5);
        using var _ = client;

        var page = await (await client.GetAsync($"/v1/environments?after_id={ids[3]}&before_id={ids[0]}&page={ids[1]}")).ReadJsonAsync();

        Assert.Equal(ids.Skip(2), Ids(page));
    }

    [Fact]
    public async Task List_CursorThatDoesNotExist_IsComparedByValue()
    {
        var (client, ids) = await SeedAsync(server, 3);
        using var _ = client;

        var page = await (await client.GetAsync("/v1/environments?after_id=env_ffffffffffffffffffffffffffffffff")).ReadJsonAsync();

        Assert.Equal(ids, Ids(page));
    }

    [Fact]
    public async Task List_LimitAbove100_IsCapped()
    {
        using var client = await server.NewClientAsync();

        var response = await client.GetAsync("/v1/environments?limit=1000");

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=1.5", "limit")]
    [InlineData("limit=", "limit")]
    [InlineData("limit=5&limit=6", "limit")]
    [InlineData("after_id=env_1&before_id=env_2", "before_id")]
    [InlineData("created_at[gte]=yesterday", "created_at[gte]")]
    [InlineData("created_at[lte]=2026-13-01T00:00:00Z", "created_at[lte]")]
    [InlineData("include_archived=maybe", "include_archived")]
    public async Task List_InvalidParameters_Return400(string query, string param)
    {
        using var client = await server.NewClientAsync();

        var response = await client.GetAsync($"/v1/environments?{query}");

        await response.AssertErrorAsync(400, "invalid_request_error", param);
    }

    [Fact]
    public async Task List_CreatedAtBounds_AreInclusive()
    {
        using var client = await server.NewClientAsync();
        var first = await client.CreateEnvironmentAsync();
        await Task.Delay(20);
        var second = await client.CreateEnvironmentAsync();
        await Task.Delay(20);
        var third = await client.CreateEnvironmentAsync();
        var from = second.GetProperty("created_at").GetString();
        var to = third.GetProperty("created_at").GetString();

        var page = await (await client.GetAsync($"/v1/environments?created_at[gte]={from}&created_at[lte]={to}")).ReadJsonAsync();

        Assert.Equal([third.GetProperty("id").GetString()!, second.GetProperty("id").GetString()!], Ids(page));
        Assert.DoesNotContain(first.GetProperty("id").GetString(), Ids(page));
    }

    [Fact]
    public async Task List_ArchivedOnlyWithIncludeArchived()
    {
        var (client, ids) = await SeedAsync(server, 2);
        using var _ = client;
        await client.PostAsync($"/v1/environments/{ids[0]}/archive", null);

        var without = await (await client.GetAsync("/v1/environments")).ReadJsonAsync();
        var with = await (await client.GetAsync("/v1/environments?include_archived=true")).ReadJsonAsync();

        Assert.Equal([ids[1]], Ids(without));
        Assert.Equal(ids, Ids(with));
    }
}
