using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Berth.Cli.Tests.Fixtures;

namespace Berth.Cli.Tests;

public sealed class SessionRestartTests : IAsyncLifetime
{
    private readonly string _dataDirectory = ServerProcess.NewDataDirectory();

    public Task InitializeAsync() => Task.CompletedTask;

    // Also after a failed assertion: the sandboxes and images of this test's servers go.
    public Task DisposeAsync() => ServerProcess.RemoveLeftoversAsync(_dataDirectory);

    [Fact]
    public async Task Restart_WithThreeLiveSessions_KeepsTheSameThreeWorking()
    {
        var first = await ServerProcess.StartAsync(_dataDirectory, useDocker: true);
        var token = first.AdminToken;
        using var client = first.Client(token);
        var created = await client.PostAsJsonAsync("/v1/environments", new { name = "restart", config = new { type = "cloud" } });
        var environmentId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var session = await client.PostAsJsonAsync("/v1/sessions", new { environment_id = environmentId });
            ids.Add((await session.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }

        foreach (var id in ids)
        {
            await WaitUntilIdleAsync(client, id);
            await RunAsync(client, id, $"echo before > /workspace/{id}");
        }

        await first.KillAsync();
        await using var second = await ServerProcess.StartAsync(first.DataDirectory, useDocker: true);
        using var after = second.Client(token);
        var listed = await after.GetFromJsonAsync<JsonElement>("/v1/sessions");
        var outputs = new List<string>();
        foreach (var id in ids)
        {
            outputs.Add(await RunAsync(after, id, $"cat /workspace/{id}"));
        }

        Assert.Equal(ids.AsEnumerable().Reverse(), listed.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.All(listed.GetProperty("data").EnumerateArray(), s => Assert.Equal("idle", s.GetProperty("status").GetString()));
        Assert.All(outputs, output => Assert.Equal("before\n", output));
        foreach (var id in ids)
        {
            Assert.Equal(HttpStatusCode.OK, (await after.DeleteAsync($"/v1/sessions/{id}")).StatusCode);
        }

        await first.DisposeAsync();
        await second.DisposeAsync();
    }

    // The first image on a machine needs its base image made first, which takes minutes.
    private static async Task WaitUntilIdleAsync(HttpClient client, string sessionId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        while (true)
        {
            var session = await client.GetFromJsonAsync<JsonElement>($"/v1/sessions/{sessionId}", timeout.Token);
            var status = session.GetProperty("status").GetString();
            Assert.NotEqual("failed", status);
            if (status == "idle")
            {
                return;
            }

            await Task.Delay(250, timeout.Token);
        }
    }

    private static async Task<string> RunAsync(HttpClient client, string sessionId, string command)
    {
        var response = await client.PostAsJsonAsync($"/v1/sessions/{sessionId}/exec", new { command });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(0, body.GetProperty("exit_code").GetInt32());

        return body.GetProperty("stdout").GetString()!;
    }
}
