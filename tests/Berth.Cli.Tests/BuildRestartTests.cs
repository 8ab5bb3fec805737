using System.Net.Http.Json;
using System.Text.Json;
using Berth.Cli.Tests.Fixtures;

namespace Berth.Cli.Tests;

public sealed class BuildRestartTests : IAsyncLifetime
{
    private readonly string _dataDirectory = ServerProcess.NewDataDirectory();

    public Task InitializeAsync() => Task.CompletedTask;

    // Also after a failed assertion: the sandboxes and images of this test's servers go.
    public Task DisposeAsync() => ServerProcess.RemoveLeftoversAsync(_dataDirectory);

    [Fact]
    public async Task Sigkill_DuringABuild_ResumesItAfterRestart()
    {
        var first = await ServerProcess.StartAsync(_dataDirectory, useDocker: true);
        var token = first.AdminToken;
        using var client = first.Client(token);
        var script = $"# {Guid.NewGuid():N}\nsleep 4\necho resumed-build-done";
        var created = await client.PostAsJsonAsync("/v1/environments", new { name = "slow", config = new { type = "cloud", setup_script = script } });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await WaitForStatusAsync(client, id!, "building", TimeSpan.FromMinutes(15));

        await first.KillAsync();
        await using var second = await ServerProcess.StartAsync(first.DataDirectory, useDocker: true);
        using var after = second.Client(token);
        var build = await WaitForStatusAsync(after, id!, "ready", TimeSpan.FromMinutes(15));

        Assert.Equal("ready", build.GetProperty("status").GetString());
        Assert.Contains("resumed-build-done", await after.GetStringAsync($"/v1/environments/{id}/build/logs"));
        await first.DisposeAsync();
        await second.DisposeAsync();
    }

    private static async Task<JsonElement> WaitForStatusAsync(HttpClient client, string id, string status, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var build = await client.GetFromJsonAsync<JsonElement>($"/v1/environments/{id}/build", deadline.Token);
            var current = build.GetProperty("status").GetString();
            if (current == status)
            {
                return build;
            }

            Assert.True(current is "pending" or "building", $"Build ended {current} while waiting for {status}: {build}");
            await Task.Delay(200, deadline.Token);
        }
    }
}
