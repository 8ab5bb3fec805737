using System.Diagnostics;
using System.Net;
using Berth.Api.Tests.Fixtures;

namespace Berth.Api.Tests.Sessions;

/// <summary>Idempotency keys on session calls: only copies of one request wait for each other, and streams stay live.</summary>
public sealed class SessionIdempotencyTests(DockerApiServer server) : IClassFixture<DockerApiServer>
{
    [Fact]
    public async Task LongExecWithAKey_DelaysNoRequestWithAnotherKey()
    {
        using var client = await server.NewClientAsync();
        var id = await client.ReadySessionAsync(await client.CreateEnvironmentAsync());
        using var slow = new HttpRequestMessage(HttpMethod.Post, $"/v1/sessions/{id}/exec") { Content = TestHttp.Json("""{"command":"sleep 6"}""") };
        slow.Headers.Add("Idempotency-Key", "slow-" + Guid.NewGuid());
        var running = client.SendAsync(slow);
        await Task.Delay(TimeSpan.FromSeconds(1));

        var clock = Stopwatch.StartNew();
        var others = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/environments/env_00000000000000000000000000000000")
            {
                Content = TestHttp.Json("""{"description":"x"}"""),
            };
            request.Headers.Add("Idempotency-Key", $"other-{i}-{Guid.NewGuid()}");
            return client.SendAsync(request);
        }));
        var elapsed = clock.Elapsed;

        Assert.All(others, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.True(elapsed < TimeSpan.FromSeconds(4), $"Requests with other keys took {elapsed}.");
        Assert.Equal(HttpStatusCode.OK, (await running).StatusCode);
    }

    [Fact]
    public async Task StreamedExecWithAKey_StreamsAsItRuns()
    {
        using var client = await server.NewClientAsync();
        var id = await client.ReadySessionAsync(await client.CreateEnvironmentAsync());
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/sessions/{id}/exec")
        {
            Content = TestHttp.Json("""{"command":"echo first; sleep 4; echo second"}"""),
        };
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("Idempotency-Key", "stream-" + Guid.NewGuid());
        var clock = Stopwatch.StartNew();

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null && !line.Contains("first", StringComparison.Ordinal))
        {
        }

        Assert.NotNull(line);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"The first line arrived after {clock.Elapsed}.");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
    }
}
