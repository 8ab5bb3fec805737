using System.Net;
using Berth.Api.Tests.Fixtures;

namespace Berth.Api.Tests.Conventions;

public sealed class IdempotencyTests(ApiServer server) : IClassFixture<ApiServer>
{
    private static HttpRequestMessage Create(string key, string body, string header = "Idempotency-Key", string path = "/v1/environments")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = TestHttp.Json(body) };
        request.Headers.Add(header, key);

        return request;
    }

    [Fact]
    public async Task Create_SameKeyAndBody_ReplaysWithoutCreatingAgain()
    {
        using var client = await server.NewClientAsync();
        var key = Guid.NewGuid().ToString();
        const string body = """{"name":"once","config":{"type":"cloud"}}""";

        var first = await client.SendAsync(Create(key, body));
        var second = await client.SendAsync(Create(key, body, "X-Idempotency-Key", "/api/v1/cloud/environments"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        var list = await (await client.GetAsync("/v1/environments")).ReadJsonAsync();
        Assert.Single(list.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Create_SameKeyOtherBody_Returns409()
    {
        using var client = await server.NewClientAsync();
        var key = Guid.NewGuid().ToString();
        await client.SendAsync(Create(key, """{"name":"a","config":{"type":"cloud"}}"""));

        var response = await client.SendAsync(Create(key, """{"name":"b","config":{"type":"cloud"}}"""));

        await response.AssertErrorAsync(409, "conflict_error");
    }

    [Fact]
    public async Task SameKey_OtherRoute_Returns409()
    {
        using var client = await server.NewClientAsync();
        var key = Guid.NewGuid().ToString();
        var created = await client.SendAsync(Create(key, """{"name":"a","config":{"type":"cloud"}}"""));
        var id = (await created.ReadJsonAsync()).GetProperty("id").GetString();

        var response = await client.SendAsync(Create(key, """{"name":"a","config":{"type":"cloud"}}""", path: $"/v1/environments/{id}"));

        await response.AssertErrorAsync(409, "conflict_error");
    }

    [Fact]
    public async Task Keys_AreScopedToTheAccount()
    {
        using var one = await server.NewClientAsync();
        using var two = await server.NewClientAsync();
        var key = Guid.NewGuid().ToString();

        var first = await one.SendAsync(Create(key, """{"name":"a","config":{"type":"cloud"}}"""));
        var second = await two.SendAsync(Create(key, """{"name":"b","config":{"type":"cloud"}}"""));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.False(second.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task AfterAnError_TheSameKeyRunsAgain()
    {
        using var client = await server.NewClientAsync();
        var key = Guid.NewGuid().ToString();
        const string body = """{"name":"x","config":{"type":"cloud"}}""";
        var id = (await client.CreateEnvironmentAsync()).GetProperty("id").GetString();
        await client.PostAsync($"/v1/environments/{id}/archive", null);
        var archive = new Func<HttpRequestMessage>(() => Create(key, "", path: $"/v1/environments/{id}/archive"));

        var failed = await client.SendAsync(archive());
        var create = await client.SendAsync(Create(key, body));

        Assert.Equal(HttpStatusCode.Conflict, failed.StatusCode);
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
    }

    [Fact]
    public async Task ConcurrentDuplicates_CreateOnce()
    {
        using var client = await server.NewClientAsync();
        var key = Guid.NewGuid().ToString();
        const string body = """{"name":"race","config":{"type":"cloud"}}""";

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.SendAsync(Create(key, body))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var list = await (await client.GetAsync("/v1/environments")).ReadJsonAsync();
        Assert.Single(list.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Delete_WithKey_ReplaysTheDeletion()
    {
        using var client = await server.NewClientAsync();
        var id = (await client.CreateEnvironmentAsync()).GetProperty("id").GetString();
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Delete()
        {
            var request = new HttpRequestMessage(HttpMethod.Delete, $"/v1/environments/{id}");
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }

        var first = await client.SendAsync(Delete());
        var second = await client.SendAsync(Delete());

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
    }
}
