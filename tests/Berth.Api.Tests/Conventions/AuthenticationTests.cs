using System.Net.Http.Headers;
using Berth.Api.Tests.Fixtures;
using Berth.Core.Accounts;
using Berth.Storage;

namespace Berth.Api.Tests.Conventions;

public sealed class AuthenticationTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task List_WithoutAuthorizationHeader_Returns401()
    {
        using var client = server.Client(null);

        var response = await client.GetAsync("/v1/environments");

        await response.AssertErrorAsync(401, "authentication_error");
    }

    [Fact]
    public async Task List_WithUnknownToken_Returns401()
    {
        using var client = server.Client("pt-unknownunknownunknown");

        var response = await client.GetAsync("/v1/environments");

        await response.AssertErrorAsync(401, "authentication_error");
    }

    [Theory]
    [InlineData("Bearer not-a-berth-token")]
    [InlineData("Bearer pt-has spaces")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    public async Task List_WithMalformedAuthorization_Returns401(string header)
    {
        using var client = server.Client(null);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);

        var response = await client.GetAsync("/v1/environments");

        await response.AssertErrorAsync(401, "authentication_error");
    }

    [Fact]
    public async Task List_WithValidTokenInXApiKey_Returns401()
    {
        var token = await server.NewTokenAsync();
        using var client = server.Client(null);
        client.DefaultRequestHeaders.Add("x-api-key", token);

        var response = await client.GetAsync("/v1/environments");

        var error = await response.AssertErrorAsync(401, "authentication_error");
        Assert.Contains("x-api-key", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task List_WithRevokedToken_Returns401()
    {
        var tokens = server.Get<TokenStore>();
        var (token, secret) = await tokens.CreateAsync("acct-revoked", Role.Admin, "to revoke", null, CancellationToken.None);
        using var client = server.Client(secret);
        Assert.Equal(200, (int)(await client.GetAsync("/v1/environments")).StatusCode);

        await tokens.RevokeAsync(token.Id, CancellationToken.None);
        server.Get<Auth.TokenValidator>().Forget();
        var response = await client.GetAsync("/v1/environments");

        await response.AssertErrorAsync(401, "authentication_error");
    }

    [Fact]
    public async Task List_WithExpiredToken_Returns401()
    {
        var tokens = server.Get<TokenStore>();
        var (_, secret) = await tokens.CreateAsync("acct-expired", Role.Admin, "expired", DateTimeOffset.UtcNow.AddSeconds(-1), CancellationToken.None);
        using var client = server.Client(secret);

        var response = await client.GetAsync("/v1/environments");

        await response.AssertErrorAsync(401, "authentication_error");
    }

    [Fact]
    public async Task UnknownRoute_WithoutToken_Returns401BeforeRouting()
    {
        using var client = server.Client(null);

        var response = await client.GetAsync("/v1/no-such-thing");

        await response.AssertErrorAsync(401, "authentication_error");
    }

    [Fact]
    public async Task Healthz_WithoutToken_Returns200()
    {
        using var client = server.Client(null);

        var response = await client.GetAsync("/healthz");

        Assert.Equal(200, (int)response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal("ok", body.GetProperty("store").GetString());
    }

    [Fact]
    public async Task Create_AsReader_Returns403()
    {
        using var client = await server.NewClientAsync(Role.Reader);

        var response = await client.PostJsonAsync("/v1/environments", """{"name":"x","config":{"type":"cloud"}}""");

        await response.AssertErrorAsync(403, "permission_error");
    }

    [Fact]
    public async Task Get_AsReader_Returns200()
    {
        var account = "acct-" + Guid.NewGuid().ToString("N");
        using var admin = server.Client(await server.NewTokenAsync(Role.Admin, account));
        using var reader = server.Client(await server.NewTokenAsync(Role.Reader, account));
        var created = await admin.CreateEnvironmentAsync();

        var response = await reader.GetAsync($"/v1/environments/{created.GetProperty("id").GetString()}");

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task Delete_AsMember_Returns403AndKeepsEnvironment()
    {
        var account = "acct-" + Guid.NewGuid().ToString("N");
        using var member = server.Client(await server.NewTokenAsync(Role.Member, account));
        var created = await member.CreateEnvironmentAsync();
        var id = created.GetProperty("id").GetString();

        var response = await member.DeleteAsync($"/v1/environments/{id}");

        await response.AssertErrorAsync(403, "permission_error");
        Assert.Equal(200, (int)(await member.GetAsync($"/v1/environments/{id}")).StatusCode);
    }

    [Fact]
    public async Task Archive_AsMember_Returns200()
    {
        using var member = await server.NewClientAsync(Role.Member);
        var created = await member.CreateEnvironmentAsync();

        var response = await member.PostAsync($"/v1/environments/{created.GetProperty("id").GetString()}/archive", null);

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task Delete_UnknownEnvironmentAsMember_Returns403BeforeLookingItUp()
    {
        using var member = await server.NewClientAsync(Role.Member);

        var response = await member.DeleteAsync("/v1/environments/env_00000000000000000000000000000000");

        await response.AssertErrorAsync(403, "permission_error");
    }

    [Fact]
    public async Task Get_EnvironmentOfAnotherAccount_Returns404()
    {
        using var owner = await server.NewClientAsync();
        using var stranger = await server.NewClientAsync();
        var created = await owner.CreateEnvironmentAsync();
        var id = created.GetProperty("id").GetString();

        await (await stranger.GetAsync($"/v1/environments/{id}")).AssertErrorAsync(404, "not_found_error");
        await (await stranger.PostJsonAsync($"/v1/environments/{id}", """{"name":"mine"}""")).AssertErrorAsync(404, "not_found_error");
        await (await stranger.PostAsync($"/v1/environments/{id}/archive", null)).AssertErrorAsync(404, "not_found_error");
        await (await stranger.DeleteAsync($"/v1/environments/{id}")).AssertErrorAsync(404, "not_found_error");
        var list = await (await stranger.GetAsync("/v1/environments?include_archived=true")).ReadJsonAsync();
        Assert.DoesNotContain(list.GetProperty("data").EnumerateArray(), e => e.GetProperty("id").GetString() == id);
        Assert.Equal(200, (int)(await owner.GetAsync($"/v1/environments/{id}")).StatusCode);
    }

    [Fact]
    public async Task Authorization_SchemeIsCaseInsensitive()
    {
        var token = await server.NewTokenAsync();
        using var client = server.Client(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("bearer", token);

        var response = await client.GetAsync("/v1/environments");

        Assert.Equal(200, (int)response.StatusCode);
    }
}
