using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Berth.Cli.Tests.Fixtures;

namespace Berth.Cli.Tests;

public sealed class DurabilityTests
{
    [Fact]
    public async Task Sigkill_DuringConcurrentCreates_LosesNoAcknowledgedEnvironment()
    {
        var first = await ServerProcess.StartAsync();
        var token = first.AdminToken;
        var acknowledged = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();

        var writers = Enumerable.Range(0, 8).Select(w => CreateUntilFailureAsync(first, token, w, acknowledged, stop.Token)).ToArray();
        // The kill comes while the writers are busy, once enough has been acknowledged to check;
        // on a loaded machine that can take longer than usual.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (acknowledged.Count <= 60 && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(50);
        }

        await first.KillAsync();
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        await using var second = await ServerProcess.StartAsync(first.DataDirectory);
        using var client = second.Client(token);

        Assert.True(acknowledged.Count > 50, $"Only {acknowledged.Count} creates were acknowledged before the kill.");
        foreach (var id in acknowledged)
        {
            var response = await client.GetAsync($"/v1/environments/{id}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"Acknowledged {id} is gone after the restart: {(int)response.StatusCode}");
        }

        await first.DisposeAsync();
    }

    private static async Task CreateUntilFailureAsync(
        ServerProcess server, string token, int writer, ConcurrentBag<string> acknowledged, CancellationToken stop)
    {
        using var client = server.Client(token);
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            try
            {
                var body = JsonSerializer.Serialize(new { name = $"w{writer}-{i}", config = new { type = "cloud", packages = new { apt = new[] { "curl" } } } });
                var response = await client.PostAsync("/v1/environments", new StringContent(body, Encoding.UTF8, "application/json"), stop);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    continue;
                }

                var text = await response.Content.ReadAsStringAsync(stop);
                using var document = JsonDocument.Parse(text);
                acknowledged.Add(document.RootElement.GetProperty("id").GetString()!);
            }
            catch (Exception error) when (error is HttpRequestException or OperationCanceledException or IOException or JsonException)
            {
                // The server died mid-request: that create was never acknowledged.
                return;
            }
        }
    }
}
