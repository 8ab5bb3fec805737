using System.Diagnostics;
using System.Text.Json;
using Berth.Api.Tests.Fixtures;

namespace Berth.Api.Tests.Sessions;

/// <summary>A session's sandbox reaches only what its environment's networking allows, and every decision is listed.</summary>
public sealed class SessionEgressTests(EgressApiServer server) : IClassFixture<EgressApiServer>
{
    private static readonly TimeSpan LogWait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task LimitedSession_ReachesItsAllowedHostOnly_AndListsBothDecisions()
    {
        using var client = await server.NewClientAsync();
        var environment = await CreateEnvironmentAsync(client, new { type = "limited", allowed_hosts = new[] { EgressApiServer.AllowedHost } });
        var session = await client.ReadySessionAsync(environment);

        var allowed = await client.ExecAsync(session, new { command = $"curl -sS -m 10 http://{EgressApiServer.AllowedHost}/" });
        var clock = Stopwatch.StartNew();
        var denied = await client.ExecAsync(session, new { command = $"curl -sS -m 10 http://{EgressApiServer.DeniedHost}/" });
        var deniedAfter = clock.Elapsed;
        var entries = await WaitForEgressAsync(client, session, e => e.Host == EgressApiServer.DeniedHost);

        Assert.Equal(0, allowed.GetProperty("exit_code").GetInt32());
        Assert.Equal(EgressApiServer.Greeting + "\n", allowed.GetProperty("stdout").GetString());
        Assert.NotEqual(0, denied.GetProperty("exit_code").GetInt32());
        Assert.True(deniedAfter < TimeSpan.FromSeconds(5), $"The denied request took {deniedAfter}; refusals must be quick.");
        Assert.Contains(entries, e => e is { Host: EgressApiServer.AllowedHost, Port: 80, Protocol: "http", Verdict: "allowed", Rule: "allowed_hosts:allowed.test" });
        Assert.Contains(entries, e => e is { Host: EgressApiServer.DeniedHost, Verdict: "denied", Rule: "default_deny" });
    }

    // The test upstream has no TLS, so the gateway, which answers the sandbox's TLS itself, says
    // 502 inside it: a client that got that far trusted the gateway's certificate.
    [Fact]
    public async Task LimitedSession_TrustsTheGatewaysCertificate_InCurlPythonAndNode()
    {
        using var client = await server.NewClientAsync();
        var environment = await CreateEnvironmentAsync(client, new { type = "limited", allowed_hosts = new[] { EgressApiServer.AllowedHost } });
        var session = await client.ReadySessionAsync(environment);
        var url = $"https://{EgressApiServer.AllowedHost}/";

        var result = await client.ExecAsync(session, new
        {
            command = $"curl -sS -m 10 -o /dev/null -w '%{{http_code}}\\n' {url}; "
                + "python3 -c \"import urllib.request, urllib.error\n"
                + $"try: urllib.request.urlopen('{url}', timeout=10)\n"
                + "except urllib.error.HTTPError as e: print(e.code)\"; "
                + $"node -e \"fetch('{url}').then(r => console.log(r.status), e => console.log(e.cause?.code ?? e))\"",
        });

        Assert.Equal("502\n502\n502\n", result.GetProperty("stdout").GetString());
    }

    [Fact]
    public async Task Decisions_AreAlsoSessionEvents()
    {
        using var client = await server.NewClientAsync();
        var environment = await CreateEnvironmentAsync(client, new { type = "allowed_hosts", allowed_hosts = new[] { EgressApiServer.AllowedHost } });
        var session = await client.ReadySessionAsync(environment);

        await client.ExecAsync(session, new { command = $"curl -s -m 10 http://{EgressApiServer.AllowedHost}/; curl -s -m 10 http://{EgressApiServer.DeniedHost}/" });
        await WaitForEgressAsync(client, session, e => e.Host == EgressApiServer.DeniedHost);
        var listed = await (await client.GetAsync($"/v1/sessions/{session}/events?limit=100")).ReadJsonAsync();

        var types = listed.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Contains("egress.allowed", types);
        Assert.Contains("egress.denied", types);
    }

    [Fact]
    public async Task Egress_IsNewestFirstAndPaged()
    {
        using var client = await server.NewClientAsync();
        var environment = await CreateEnvironmentAsync(client, new { type = "limited", allowed_hosts = new[] { EgressApiServer.AllowedHost } });
        var session = await client.ReadySessionAsync(environment);
        await client.ExecAsync(session, new { command = $"for i in 1 2 3; do curl -s -m 10 http://{EgressApiServer.AllowedHost}/; done" });
        await WaitForEgressAsync(client, session, e => e.Protocol == "http", atLeast: 3);

        var first = await (await client.GetAsync($"/v1/sessions/{session}/egress?limit=2")).ReadJsonAsync();
        var next = first.GetProperty("next_page").GetString();
        var second = await (await client.GetAsync($"/v1/sessions/{session}/egress?limit=2&page={next}")).ReadJsonAsync();

        var ids = first.GetProperty("data").EnumerateArray().Concat(second.GetProperty("data").EnumerateArray())
            .Select(e => e.GetProperty("id").GetString()!).ToList();
        Assert.True(first.GetProperty("has_more").GetBoolean());
        Assert.Equal(ids.OrderDescending(StringComparer.Ordinal), ids);
        Assert.Equal(4, ids.Distinct().Count());
    }

    [Fact]
    public async Task Egress_OfAnotherAccountsSession_Returns404()
    {
        using var owner = await server.NewClientAsync();
        using var stranger = await server.NewClientAsync();
        var environment = await CreateEnvironmentAsync(owner, new { type = "limited" });
        var session = (await owner.CreateSessionAsync(environment)).GetProperty("id").GetString();

        var response = await stranger.GetAsync($"/v1/sessions/{session}/egress");

        await response.AssertErrorAsync(404, "not_found_error");
    }

    private static async Task<string> CreateEnvironmentAsync(HttpClient client, object networking)
    {
        var config = JsonSerializer.Serialize(new { type = "cloud", networking, setup_script = "# sessions\ntrue" });

        return (await client.CreateEnvironmentAsync(config: config)).GetProperty("id").GetString()!;
    }

    private static async Task<List<Entry>> WaitForEgressAsync(
        HttpClient client, string session, Func<Entry, bool> wanted, int atLeast = 1)
    {
        using var timeout = new CancellationTokenSource(LogWait);
        while (true)
        {
            var listed = await (await client.GetAsync($"/v1/sessions/{session}/egress?limit=100", timeout.Token)).ReadJsonAsync();
            var entries = listed.GetProperty("data").EnumerateArray().Select(Entry.From).ToList();
            if (entries.Count(wanted) >= atLeast)
            {
                return entries;
            }

            await Task.Delay(200, timeout.Token);
        }
    }

    private sealed record Entry(string Id, string Time, string Host, int Port, string Protocol, string Verdict, string Rule)
    {
        public static Entry From(JsonElement e) => new(
            e.GetProperty("id").GetString()!, e.GetProperty("time").GetString()!, e.GetProperty("host").GetString()!,
            e.GetProperty("port").GetInt32(), e.GetProperty("protocol").GetString()!,
            e.GetProperty("verdict").GetString()!, e.GetProperty("rule").GetString()!);
    }
}
