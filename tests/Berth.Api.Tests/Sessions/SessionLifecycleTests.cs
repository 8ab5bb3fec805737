using System.Net;
using Berth.Api.Tests.Fixtures;

namespace Berth.Api.Tests.Sessions;

public sealed class SessionLifecycleTests(DockerApiServer server) : IClassFixture<DockerApiServer>
{
    [Fact]
    public async Task Create_OnABuiltEnvironment_ReturnsTheSessionObject()
    {
        using var client = await server.NewClientAsync();
        var environmentId = await client.CreateEnvironmentAsync();

        var session = await client.CreateSessionAsync(environmentId, new { title = "t", metadata = new { k = "v" }, agent = "a1" });

        Assert.Matches("^sess_[0-9a-f]{32}$", session.GetProperty("id").GetString());
        Assert.Equal("session", session.GetProperty("type").GetString());
        Assert.Equal(environmentId, session.GetProperty("environment_id").GetString());
        Assert.Contains(session.GetProperty("status").GetString(), new[] { "provisioning", "idle" });
        Assert.Equal("t", session.GetProperty("title").GetString());
        Assert.Equal("""{"k":"v"}""", session.GetProperty("metadata").GetRawText());
        Assert.Equal("a1", session.GetProperty("agent").GetString());
        Assert.Matches("^[0-9a-f]{64}$", session.GetProperty("config_hash").GetString());
        var fetched = await client.WaitForStatusAsync(session.GetProperty("id").GetString()!, "idle");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, fetched.GetProperty("terminated_at").ValueKind);
    }

    [Fact]
    public async Task Create_ForUnknownEnvironment_Returns404()
    {
        using var client = await server.NewClientAsync();

        var response = await client.PostAsync("/v1/sessions", TestHttp.Json("""{"environment_id":"env_00000000000000000000000000000000"}"""));

        await response.AssertErrorAsync(404, "not_found_error");
    }

    [Fact]
    public async Task Create_ForArchivedEnvironment_Returns400NamingEnvironmentId()
    {
        using var client = await server.NewClientAsync();
        var environmentId = await client.CreateEnvironmentAsync();
        await client.PostAsync($"/v1/environments/{environmentId}/archive", null);

        var response = await client.PostAsync("/v1/sessions", TestHttp.Json($$"""{"environment_id":"{{environmentId}}"}"""));

        await response.AssertErrorAsync(400, "invalid_request_error", "environment_id");
    }

    [Theory]
    [InlineData("""{}""", "environment_id")]
    [InlineData("""{"environment_id":"ENV","timeout_seconds":0}""", "timeout_seconds")]
    [InlineData("""{"environment_id":"ENV","timeout_seconds":86401}""", "timeout_seconds")]
    [InlineData("""{"environment_id":"ENV","timeout_seconds":"60"}""", "timeout_seconds")]
    [InlineData("""{"environment_id":"ENV","environment_variables":{"A":1}}""", "environment_variables.A")]
    [InlineData("""{"environment_id":"ENV","environment_variables":"no-equals-sign"}""", "environment_variables")]
    [InlineData("""{"environment_id":"ENV","resources":{"memory_mb":1}}""", "resources.memory_mb")]
    public async Task Create_InvalidBody_Returns400(string body, string param)
    {
        using var client = await server.NewClientAsync();
        var environmentId = await client.CreateEnvironmentAsync();

        var response = await client.PostAsync("/v1/sessions", TestHttp.Json(body.Replace("ENV", environmentId, StringComparison.Ordinal)));

        await response.AssertErrorAsync(400, "invalid_request_error", param);
    }

    [Fact]
    public async Task EnvironmentVariables_AsObjectOrText_AreSeenByEveryCommand()
    {
        using var client = await server.NewClientAsync();
        var environmentId = await client.CreateEnvironmentAsync();
        var fromObject = await client.ReadySessionAsync(environmentId, new { environment_variables = new { GREETING = "hello" } });
        var fromText = await client.ReadySessionAsync(environmentId, new { environment_variables = "A=1;B=two words\nC=x=y" });

        var one = await client.ExecAsync(fromObject, new { command = "echo $GREETING; pwd; echo $HOME" });
        var two = await client.ExecAsync(fromText, new { command = new[] { "sh", "-c", "echo $A-$B-$C" }, env = new { A = "override" } });

        Assert.Equal("hello\n/workspace\n/root\n", one.GetProperty("stdout").GetString());
        Assert.Equal("override-two words-x=y\n", two.GetProperty("stdout").GetString());
    }

    [Fact]
    public async Task Terminate_RemovesTheSandboxAndIsIdempotent()
    {
        using var client = await server.NewClientAsync();
        var environmentId = await client.CreateEnvironmentAsync();
        var id = await client.ReadySessionAsync(environmentId);

        var first = await (await client.PostAsync($"/v1/sessions/{id}/terminate", null)).ReadJsonAsync();
        var second = await client.PostAsync($"/v1/sessions/{id}/terminate", null);
        var exec = await client.PostAsync($"/v1/sessions/{id}/exec", TestHttp.Json("""{"command":"true"}"""));

        Assert.Equal("terminated", first.GetProperty("status").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, first.GetProperty("terminated_at").ValueKind);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await exec.AssertErrorAsync(409, "conflict_error");
        Assert.Empty(await SandboxesOfAsync(id));
    }

    [Fact]
    public async Task Terminate_WhileTheImageIsStillBuilding_EndsTheSession()
    {
        using var client = await server.NewClientAsync();
        var environmentId = await client.CreateEnvironmentAsync($"# {Guid.NewGuid():N}\nsleep 3");
        var session = await client.CreateSessionAsync(environmentId);
        var id = session.GetProperty("id").GetString()!;

        var terminated = await (await client.PostAsync($"/v1/sessions/{id}/terminate", null)).ReadJsonAsync();
        await Task.Delay(TimeSpan.FromSeconds(6));

        Assert.Equal("provisioning", session.GetProperty("status").GetString());
        Assert.Equal("terminated", terminated.GetProperty("status").GetString());
        Assert.Equal("terminated", (await (await client.GetAsync($"/v1/sessions/{id}")).ReadJsonAsync()).GetProperty("status").GetString());
        Assert.Empty(await SandboxesOfAsync(id));
    }

    [Fact]
    public async Task Delete_ReturnsDeletedAndRemovesEverything()
    {
        using var client = await server.NewClientAsync();
        var environmentId = await client.CreateEnvironmentAsync();
        var id = await client.ReadySessionAsync(environmentId);

        var response = await client.DeleteAsync($"/v1/sessions/{id}");

        Assert.Equal($$"""{"id":"{{id}}","type":"session_deleted","deleted":true}""", (await response.ReadJsonAsync()).GetRawText());
        await (await client.GetAsync($"/v1/sessions/{id}")).AssertErrorAsync(404, "not_found_error");
        Assert.Empty(await SandboxesOfAsync(id));
    }

    [Fact]
    public async Task DeleteEnvironment_WithALiveSession_Returns409UntilItIsTerminated()
    {
        using var client = await server.NewClientAsync();
        var environmentId = await client.CreateEnvironmentAsync();
        var id = await client.ReadySessionAsync(environmentId);

        var refused = await client.DeleteAsync($"/v1/environments/{environmentId}");
        await client.PostAsync($"/v1/sessions/{id}/terminate", null);
        var accepted = await client.DeleteAsync($"/v1/environments/{environmentId}");

        await refused.AssertErrorAsync(409, "conflict_error");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task UpdatingTheEnvironment_DoesNotChangeAnExistingSession()
    {
        using var client = await server.NewClientAsync();
        var environmentId = await client.CreateEnvironmentAsync($"# {Guid.NewGuid():N}\necho v1 > /etc/berth-version");
        var id = await client.ReadySessionAsync(environmentId);
        var before = await (await client.GetAsync($"/v1/sessions/{id}")).ReadJsonAsync();

        var v2 = System.Text.Json.JsonSerializer.Serialize(new { config = new { type = "cloud", setup_script = $"# {Guid.NewGuid():N}\necho v2 > /etc/berth-version" } });
        await client.PatchAsync($"/v1/environments/{environmentId}", TestHttp.Json(v2));
        var after = await (await client.GetAsync($"/v1/sessions/{id}")).ReadJsonAsync();
        var version = await client.ExecAsync(id, new { command = "cat /etc/berth-version" });
        var newer = await client.ReadySessionAsync(environmentId);
        var newerVersion = await client.ExecAsync(newer, new { command = "cat /etc/berth-version" });

        Assert.Equal(before.GetProperty("config_hash").GetString(), after.GetProperty("config_hash").GetString());
        Assert.Equal("v1\n", version.GetProperty("stdout").GetString());
        Assert.Equal("v2\n", newerVersion.GetProperty("stdout").GetString());
    }

    [Fact]
    public async Task List_FiltersByEnvironmentAndStatus()
    {
        using var client = await server.NewClientAsync();
        var first = await client.CreateEnvironmentAsync();
        var second = await client.CreateEnvironmentAsync($"# {Guid.NewGuid():N}");
        var a = await client.ReadySessionAsync(first);
        var b = await client.ReadySessionAsync(second);
        await client.PostAsync($"/v1/sessions/{a}/terminate", null);

        var live = await (await client.GetAsync("/v1/sessions")).ReadJsonAsync();
        var all = await (await client.GetAsync("/v1/sessions?include_terminated=true")).ReadJsonAsync();
        var ofFirst = await (await client.GetAsync($"/v1/sessions?environment_id={first}&include_terminated=true")).ReadJsonAsync();
        var terminated = await (await client.GetAsync("/v1/sessions?status=terminated")).ReadJsonAsync();

        Assert.Equal([b], Ids(live));
        Assert.Equal([b, a], Ids(all));
        Assert.Equal([a], Ids(ofFirst));
        Assert.Equal([a], Ids(terminated));
        await (await client.GetAsync("/v1/sessions?status=sleeping")).AssertErrorAsync(400, "invalid_request_error", "status");
    }

    [Fact]
    public async Task Sessions_OfAnotherAccount_AreInvisible()
    {
        using var owner = await server.NewClientAsync();
        using var stranger = await server.NewClientAsync();
        var id = await owner.ReadySessionAsync(await owner.CreateEnvironmentAsync());

        await (await stranger.GetAsync($"/v1/sessions/{id}")).AssertErrorAsync(404, "not_found_error");
        await (await stranger.PostAsync($"/v1/sessions/{id}/exec", TestHttp.Json("""{"command":"true"}"""))).AssertErrorAsync(404, "not_found_error");
        await (await stranger.PostAsync($"/v1/sessions/{id}/terminate", null)).AssertErrorAsync(404, "not_found_error");
        await (await stranger.GetAsync($"/v1/sessions/{id}/files?path=/etc")).AssertErrorAsync(404, "not_found_error");
        Assert.Equal("idle", (await (await owner.GetAsync($"/v1/sessions/{id}")).ReadJsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task IdleSession_IsTerminatedAndItsSandboxRemoved()
    {
        using var client = await server.NewClientAsync();
        var id = await client.ReadySessionAsync(await client.CreateEnvironmentAsync(), new { timeout_seconds = 2 });

        var ended = await client.WaitForStatusAsync(id, "terminated");

        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, ended.GetProperty("terminated_at").ValueKind);
        Assert.Empty(await SandboxesGoneAsync(id));
    }

    [Fact]
    public async Task RunningCommand_KeepsTheSessionAlivePastItsIdleTimeout()
    {
        using var client = await server.NewClientAsync();
        var id = await client.ReadySessionAsync(await client.CreateEnvironmentAsync(), new { timeout_seconds = 2 });
        var before = await (await client.GetAsync($"/v1/sessions/{id}")).ReadJsonAsync();

        var result = await client.ExecAsync(id, new { command = "sleep 5; echo still-here" });
        var after = await (await client.GetAsync($"/v1/sessions/{id}")).ReadJsonAsync();

        Assert.Equal("still-here\n", result.GetProperty("stdout").GetString());
        Assert.Equal("idle", after.GetProperty("status").GetString());
        Assert.True(string.CompareOrdinal(after.GetProperty("expires_at").GetString(), before.GetProperty("expires_at").GetString()) > 0);
    }

    [Fact]
    public async Task HundredSessionsAtOnce_ThenDeletedAtOnce_LeaveNoContainers()
    {
        using var client = await server.NewClientAsync();
        var environmentId = await client.CreateEnvironmentAsync();
        await client.ReadySessionAsync(environmentId);

        var created = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => client.CreateSessionAsync(environmentId)));
        var ids = created.Select(s => s.GetProperty("id").GetString()!).ToList();
        var deleted = await Task.WhenAll(ids.Select(id => client.DeleteAsync($"/v1/sessions/{id}")));

        Assert.All(deleted, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var id in ids)
        {
            Assert.Empty(await SandboxesGoneAsync(id));
        }
    }

    private static List<string> Ids(System.Text.Json.JsonElement page) =>
        page.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();

    // The status is written first and the container removed right after, so it may still be going.
    // A start already sent to the engine finishes before its container is removed; with a
    // hundred at once on a busy two-core machine that can take a minute.
    private async Task<IReadOnlyList<string>> SandboxesGoneAsync(string sessionId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        var left = await SandboxesOfAsync(sessionId);
        while (left.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            left = await SandboxesOfAsync(sessionId);
        }

        return left;
    }

    private async Task<IReadOnlyList<string>> SandboxesOfAsync(string sessionId)
    {
        var sandboxes = await server.Get<Runtime.Sandboxes.SandboxRuntime>().ListAsync(CancellationToken.None);

        return sandboxes!.Where(s => s.SessionId == sessionId).Select(s => s.ContainerId).ToList();
    }
}
