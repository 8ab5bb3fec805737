using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Api.Tests.Fixtures;

namespace Berth.Api.Tests.Environments;

public sealed partial class EnvironmentRoutesTests(ApiServer server) : IClassFixture<ApiServer>
{
    private const string DocBody =
        """{"name":"doc-test-env","config":{"type":"cloud","networking":{"type":"limited"},"packages":{"apt":["curl"]}}}""";

    [Fact]
    public async Task Create_DocumentedExample_Returns201WithTheDocumentedObject()
    {
        using var client = await server.NewClientAsync();

        var response = await client.PostJsonAsync("/api/v1/cloud/environments", DocBody);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadJsonAsync();
        var id = body.GetProperty("id").GetString()!;
        Assert.Matches(IdPattern(), id);
        Assert.Equal($"/v1/environments/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(
            ["id", "type", "name", "description", "status", "config", "metadata", "archived", "archived_at", "created_at", "updated_at"],
            body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("environment", body.GetProperty("type").GetString());
        Assert.Equal("doc-test-env", body.GetProperty("name").GetString());
        Assert.Equal("", body.GetProperty("description").GetString());
        Assert.Equal("ready", body.GetProperty("status").GetString());
        Assert.Equal("""{"type":"cloud","networking":{"type":"limited"},"packages":{"apt":["curl"]}}""", body.GetProperty("config").GetRawText());
        Assert.Equal("{}", body.GetProperty("metadata").GetRawText());
        Assert.False(body.GetProperty("archived").GetBoolean());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("archived_at").ValueKind);
        Assert.Matches(TimestampPattern(), body.GetProperty("created_at").GetString());
        Assert.Equal(body.GetProperty("created_at").GetString(), body.GetProperty("updated_at").GetString());
    }

    [Fact]
    public async Task Create_WithUnknownFields_IgnoresAndDoesNotStoreThem()
    {
        using var client = await server.NewClientAsync();

        var body = await (await client.PostJsonAsync("/v1/environments",
            """{"name":"n","scope":"x","extra":{"a":1},"config":{"type":"cloud","colour":"red","packages":{"type":"packages","pip":["pandas"]}}}""")).ReadJsonAsync();
        var fetched = await (await client.GetAsync($"/v1/environments/{body.GetProperty("id").GetString()}")).ReadJsonAsync();

        Assert.False(fetched.TryGetProperty("scope", out _));
        Assert.Equal("""{"type":"cloud","packages":{"pip":["pandas"]}}""", fetched.GetProperty("config").GetRawText());
    }

    [Fact]
    public async Task Create_Allowlist_IsStoredAsAllowedHosts()
    {
        using var client = await server.NewClientAsync();

        var body = await client.CreateEnvironmentAsync(config: """{"type":"cloud","networking":{"type":"allowlist","allowed_hosts":["example.com"]}}""");

        Assert.Equal("""{"type":"allowed_hosts","allowed_hosts":["example.com"]}""", body.GetProperty("config").GetProperty("networking").GetRawText());
    }

    [Fact]
    public async Task Create_NameIsStoredAsSent()
    {
        using var client = await server.NewClientAsync();

        var body = await client.CreateEnvironmentAsync(name: "  spaced name  ");

        Assert.Equal("  spaced name  ", body.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Get_ReturnsTheCreatedObject()
    {
        using var client = await server.NewClientAsync();
        var created = await client.CreateEnvironmentAsync(config: """{"type":"cloud","setup_script":"echo hi"}""");

        var response = await client.GetAsync($"/v1/environments/{created.GetProperty("id").GetString()}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(created.GetRawText(), (await response.ReadJsonAsync()).GetRawText());
    }

    [Theory]
    [InlineData("env_00000000000000000000000000000000")]
    [InlineData("not-an-id")]
    [InlineData("env_%2e%2e")]
    public async Task Get_Unknown_Returns404(string id)
    {
        using var client = await server.NewClientAsync();

        var response = await client.GetAsync($"/v1/environments/{id}");

        await response.AssertErrorAsync(404, "not_found_error");
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("POST")]
    [InlineData("PATCH")]
    public async Task Update_IsPartialWithEveryMethod(string method)
    {
        using var client = await server.NewClientAsync();
        var created = await client.CreateEnvironmentAsync(name: "before",
            config: """{"type":"cloud","networking":{"type":"limited"},"packages":{"apt":["curl"]},"setup_script":"echo 1"}""");
        var id = created.GetProperty("id").GetString();
        await Task.Delay(5);

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/v1/environments/{id}")
        {
            Content = TestHttp.Json("""{"description":"d","config":{"type":"cloud","packages":{"pip":["requests"]}}}"""),
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("before", body.GetProperty("name").GetString());
        Assert.Equal("d", body.GetProperty("description").GetString());
        Assert.Equal(
            """{"type":"cloud","networking":{"type":"limited"},"packages":{"pip":["requests"]},"setup_script":"echo 1"}""",
            body.GetProperty("config").GetRawText());
        Assert.Equal(created.GetProperty("created_at").GetString(), body.GetProperty("created_at").GetString());
        Assert.True(string.CompareOrdinal(body.GetProperty("updated_at").GetString(), created.GetProperty("updated_at").GetString()) > 0);
    }

    [Fact]
    public async Task Update_MetadataIsAPatch()
    {
        using var client = await server.NewClientAsync();
        var created = await (await client.PostJsonAsync("/v1/environments",
            """{"name":"m","config":{"type":"cloud"},"metadata":{"keep":"1","drop":"2","blank":"3"}}""")).ReadJsonAsync();

        var response = await client.PostJsonAsync($"/v1/environments/{created.GetProperty("id").GetString()}",
            """{"metadata":{"drop":null,"blank":"","new":"4"},"description":null}""");

        var body = await response.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"keep":"1","new":"4"}""", body.GetProperty("metadata").GetRawText());
        Assert.Equal("", body.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Update_MetadataOverSixteenKeysInTheResult_Returns400()
    {
        using var client = await server.NewClientAsync();
        var initial = string.Join(",", Enumerable.Range(0, 16).Select(i => $"\"k{i}\":\"v\""));
        var created = await (await client.PostJsonAsync("/v1/environments",
            """{"name":"m","config":{"type":"cloud"},"metadata":{""" + initial + "}}")).ReadJsonAsync();

        var response = await client.PostJsonAsync($"/v1/environments/{created.GetProperty("id").GetString()}", """{"metadata":{"k17":"v"}}""");

        await response.AssertErrorAsync(400, "invalid_request_error", "metadata");
    }

    [Fact]
    public async Task Update_ChangingConfigType_Returns400()
    {
        using var client = await server.NewClientAsync();
        var created = await client.CreateEnvironmentAsync();

        var response = await client.PostJsonAsync($"/v1/environments/{created.GetProperty("id").GetString()}",
            """{"config":{"type":"self_hosted"}}""");

        await response.AssertErrorAsync(400, "invalid_request_error", "config.type");
    }

    [Fact]
    public async Task Update_Archived_Returns409()
    {
        using var client = await server.NewClientAsync();
        var created = await client.CreateEnvironmentAsync();
        var id = created.GetProperty("id").GetString();
        await client.PostAsync($"/v1/environments/{id}/archive", null);

        var response = await client.PatchAsync($"/v1/environments/{id}", TestHttp.Json("""{"name":"late"}"""));

        await response.AssertErrorAsync(409, "conflict_error");
    }

    [Fact]
    public async Task Update_UnknownEnvironmentWithInvalidBody_Returns404()
    {
        using var client = await server.NewClientAsync();

        var response = await client.PostJsonAsync("/v1/environments/env_00000000000000000000000000000000", """{"name":""}""");

        await response.AssertErrorAsync(404, "not_found_error");
    }

    [Fact]
    public async Task Archive_SetsArchivedFields()
    {
        using var client = await server.NewClientAsync();
        var created = await client.CreateEnvironmentAsync();
        var id = created.GetProperty("id").GetString();

        var response = await client.PostAsync($"/v1/environments/{id}/archive", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("archived", body.GetProperty("status").GetString());
        Assert.True(body.GetProperty("archived").GetBoolean());
        Assert.Matches(TimestampPattern(), body.GetProperty("archived_at").GetString());
        Assert.Equal(body.GetProperty("archived_at").GetString(), body.GetProperty("updated_at").GetString());
        var fetched = await (await client.GetAsync($"/v1/environments/{id}")).ReadJsonAsync();
        Assert.Equal(body.GetRawText(), fetched.GetRawText());
    }

    [Fact]
    public async Task Archive_Twice_Returns409()
    {
        using var client = await server.NewClientAsync();
        var created = await client.CreateEnvironmentAsync();
        var id = created.GetProperty("id").GetString();
        await client.PostAsync($"/v1/environments/{id}/archive", null);

        var response = await client.PostAsync($"/v1/environments/{id}/archive", null);

        await response.AssertErrorAsync(409, "conflict_error");
    }

    [Fact]
    public async Task Delete_ReturnsDeletedAndThenGetIs404()
    {
        using var client = await server.NewClientAsync();
        var created = await client.CreateEnvironmentAsync();
        var id = created.GetProperty("id").GetString();

        var response = await client.DeleteAsync($"/v1/environments/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($$$"""{"id":"{{{id}}}","type":"environment_deleted","deleted":true}""", (await response.ReadJsonAsync()).GetRawText());
        await (await client.GetAsync($"/v1/environments/{id}")).AssertErrorAsync(404, "not_found_error");
        await (await client.DeleteAsync($"/v1/environments/{id}")).AssertErrorAsync(404, "not_found_error");
    }

    [Fact]
    public async Task Delete_Archived_Works()
    {
        using var client = await server.NewClientAsync();
        var created = await client.CreateEnvironmentAsync();
        var id = created.GetProperty("id").GetString();
        await client.PostAsync($"/v1/environments/{id}/archive", null);

        var response = await client.DeleteAsync($"/v1/environments/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Create_IdsAndTimestampsIncreaseInCreationOrder()
    {
        using var client = await server.NewClientAsync();
        var ids = new List<string>();
        var times = new List<DateTimeOffset>();

        for (var i = 0; i < 20; i++)
        {
            var body = await client.CreateEnvironmentAsync();
            ids.Add(body.GetProperty("id").GetString()!);
            times.Add(DateTimeOffset.Parse(body.GetProperty("created_at").GetString()!, CultureInfo.InvariantCulture));
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(times.Order(), times);
    }

    [GeneratedRegex("^env_[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")]
    private static partial Regex TimestampPattern();
}
