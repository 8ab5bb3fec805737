using Berth.Api.Tests.Fixtures;

namespace Berth.Api.Tests.Conventions;

/// <summary>Without a container runtime, sessions answer 503 and environments keep working.</summary>
public sealed class NoRuntimeTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task SessionRoutes_WithoutRuntime_Return503()
    {
        using var client = await server.NewClientAsync();
        var environment = await client.CreateEnvironmentAsync();

        var create = await client.PostAsync("/v1/sessions", TestHttp.Json($$"""{"environment_id":"{{environment.GetProperty("id").GetString()}}"}"""));
        var list = await client.GetAsync("/v1/sessions");

        var error = await create.AssertErrorAsync(503, "overloaded_error");
        Assert.Contains("runtime", error.GetProperty("message").GetString());
        await list.AssertErrorAsync(503, "overloaded_error");
        Assert.Equal(200, (int)(await client.GetAsync($"/v1/environments/{environment.GetProperty("id").GetString()}")).StatusCode);
    }

    [Fact]
    public async Task Build_WithoutRuntime_StaysPending()
    {
        using var client = await server.NewClientAsync();
        var environment = await client.CreateEnvironmentAsync();
        await Task.Delay(1500);

        var build = await (await client.GetAsync($"/v1/environments/{environment.GetProperty("id").GetString()}/build")).ReadJsonAsync();

        Assert.Equal("pending", build.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Healthz_WithoutRuntime_SaysSo()
    {
        using var client = server.Client(null);

        var health = await (await client.GetAsync("/healthz")).ReadJsonAsync();

        Assert.Equal("unavailable", health.GetProperty("runtime").GetString());
    }
}
