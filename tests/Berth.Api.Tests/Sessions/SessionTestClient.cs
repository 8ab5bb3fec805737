using System.Net;
using System.Text.Json;
using Berth.Api.Tests.Fixtures;

namespace Berth.Api.Tests.Sessions;

/// <summary>Steps that session tests share: an environment, a ready session, a command.</summary>
public static class SessionTestClient
{
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(15);

    /// <summary>An environment with a configuration of its own (a unique script comment) or a shared one.</summary>
    public static async Task<string> CreateEnvironmentAsync(this HttpClient client, string? script = null)
    {
        var config = JsonSerializer.Serialize(new { type = "cloud", setup_script = script ?? "# sessions\ntrue" });
        var environment = await client.CreateEnvironmentAsync(config: config);

        return environment.GetProperty("id").GetString()!;
    }

    public static async Task<JsonElement> CreateSessionAsync(this HttpClient client, string environmentId, object? extra = null)
    {
        var body = JsonSerializer.SerializeToNode(extra ?? new { })!.AsObject();
        body["environment_id"] = environmentId;
        var response = await client.PostAsync("/v1/sessions", TestHttp.Json(body.ToJsonString()));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());

        return await response.ReadJsonAsync();
    }

    public static async Task<string> ReadySessionAsync(this HttpClient client, string environmentId, object? extra = null)
    {
        var session = await client.CreateSessionAsync(environmentId, extra);
        var id = session.GetProperty("id").GetString()!;
        await client.WaitForStatusAsync(id, "idle");

        return id;
    }

    public static async Task<JsonElement> WaitForStatusAsync(this HttpClient client, string sessionId, string status)
    {
        using var timeout = new CancellationTokenSource(ReadyTimeout);
        while (true)
        {
            var session = await (await client.GetAsync($"/v1/sessions/{sessionId}", timeout.Token)).ReadJsonAsync();
            if (session.GetProperty("status").GetString() == status)
            {
                return session;
            }

            Assert.True(session.GetProperty("status").GetString() != "failed", $"The session failed: {session}");
            await Task.Delay(200, timeout.Token);
        }
    }

    public static async Task<JsonElement> ExecAsync(this HttpClient client, string sessionId, object body)
    {
        var response = await client.PostAsync($"/v1/sessions/{sessionId}/exec", TestHttp.Json(JsonSerializer.Serialize(body)));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());

        return await response.ReadJsonAsync();
    }
}
