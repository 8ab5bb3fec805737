using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using Berth.Api.Tests.Fixtures;

namespace Berth.Api.Tests.Builds;

/// <summary>Environment builds through the API, on the real Docker engine.</summary>
public sealed class BuildTests(DockerApiServer server) : IClassFixture<DockerApiServer>
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(15);

    /// <summary>A setup script unique to one test run, so that no earlier image is a cache hit.</summary>
    private static string UniqueScript(string body = "true") => $"# {Guid.NewGuid():N}\n{body}";

    private static string Config(string script, string packages = "{}") =>
        JsonSerializer.Serialize(new { type = "cloud", setup_script = script })[..^1] + $",\"packages\":{packages}}}";

    private static async Task<JsonElement> WaitForBuildAsync(HttpClient client, string id)
    {
        using var timeout = new CancellationTokenSource(BuildTimeout);
        while (true)
        {
            var build = await (await client.GetAsync($"/v1/environments/{id}/build", timeout.Token)).ReadJsonAsync();
            if (build.GetProperty("status").GetString() is "ready" or "failed")
            {
                return build;
            }

            await Task.Delay(250, timeout.Token);
        }
    }

    private static string Id(JsonElement environment) => environment.GetProperty("id").GetString()!;

    [Fact]
    public async Task Create_StartsABuildThatBecomesReady()
    {
        using var client = await server.NewClientAsync();
        var environment = await client.CreateEnvironmentAsync(config: Config(UniqueScript("echo built-by-setup")));

        var build = await WaitForBuildAsync(client, Id(environment));

        Assert.Equal("ready", build.GetProperty("status").GetString());
        Assert.Equal("environment_build", build.GetProperty("type").GetString());
        Assert.Equal(Id(environment), build.GetProperty("environment_id").GetString());
        Assert.Equal("miss", build.GetProperty("cache").GetString());
        Assert.Matches("^[0-9a-f]{64}$", build.GetProperty("config_hash").GetString());
        Assert.Equal($"berth/env:{build.GetProperty("config_hash").GetString()}", build.GetProperty("image").GetString());
        Assert.True(build.GetProperty("duration_ms").GetInt64() >= 0);
        Assert.Equal(JsonValueKind.Null, build.GetProperty("error").ValueKind);
        var log = await client.GetStringAsync($"/v1/environments/{Id(environment)}/build/logs");
        Assert.Contains("built-by-setup", log);
    }

    [Fact]
    public async Task SecondEnvironmentWithSameConfig_IsACacheHitWithoutBuilding()
    {
        using var client = await server.NewClientAsync();
        var config = Config(UniqueScript());
        var first = await client.CreateEnvironmentAsync(config: config);
        var firstBuild = await WaitForBuildAsync(client, Id(first));
        using var other = await server.NewClientAsync();

        var second = await other.CreateEnvironmentAsync(config: config);
        var secondBuild = await (await other.GetAsync($"/v1/environments/{Id(second)}/build")).ReadJsonAsync();

        Assert.Equal("hit", secondBuild.GetProperty("cache").GetString());
        Assert.Equal("ready", secondBuild.GetProperty("status").GetString());
        Assert.Equal(firstBuild.GetProperty("config_hash").GetString(), secondBuild.GetProperty("config_hash").GetString());
        Assert.Equal(firstBuild.GetProperty("started_at").GetString(), secondBuild.GetProperty("started_at").GetString());
    }

    [Fact]
    public async Task ChangingTheConfig_BuildsANewImage()
    {
        using var client = await server.NewClientAsync();
        var environment = await client.CreateEnvironmentAsync(config: Config(UniqueScript()));
        var before = await WaitForBuildAsync(client, Id(environment));

        await client.PatchAsync($"/v1/environments/{Id(environment)}", TestHttp.Json($"{{\"config\":{Config(UniqueScript())}}}"));
        var after = await WaitForBuildAsync(client, Id(environment));

        Assert.NotEqual(before.GetProperty("config_hash").GetString(), after.GetProperty("config_hash").GetString());
        Assert.NotEqual(before.GetProperty("image").GetString(), after.GetProperty("image").GetString());
        Assert.Equal("miss", after.GetProperty("cache").GetString());
        Assert.Equal("ready", after.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ChangingOnlyTheName_KeepsTheBuild()
    {
        using var client = await server.NewClientAsync();
        var environment = await client.CreateEnvironmentAsync(config: Config(UniqueScript()));
        var before = await WaitForBuildAsync(client, Id(environment));

        await client.PatchAsync($"/v1/environments/{Id(environment)}", TestHttp.Json("""{"name":"renamed","metadata":{"a":"b"}}"""));
        var after = await (await client.GetAsync($"/v1/environments/{Id(environment)}/build")).ReadJsonAsync();

        Assert.Equal(before.GetRawText(), after.GetRawText());
    }

    [Fact]
    public async Task NoCache_RebuildsFromScratch()
    {
        using var client = await server.NewClientAsync();
        var environment = await client.CreateEnvironmentAsync(config: Config(UniqueScript()));
        var first = await WaitForBuildAsync(client, Id(environment));

        var response = await client.PostAsync($"/v1/environments/{Id(environment)}/build", TestHttp.Json("""{"no_cache":true}"""));
        var second = await WaitForBuildAsync(client, Id(environment));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("miss", second.GetProperty("cache").GetString());
        Assert.Equal("ready", second.GetProperty("status").GetString());
        Assert.True(string.CompareOrdinal(second.GetProperty("started_at").GetString(), first.GetProperty("finished_at").GetString()) >= 0);
    }

    [Fact]
    public async Task Build_WithoutNoCache_OnAReadyImage_IsAHit()
    {
        using var client = await server.NewClientAsync();
        var environment = await client.CreateEnvironmentAsync(config: Config(UniqueScript()));
        await WaitForBuildAsync(client, Id(environment));

        var response = await client.PostAsync($"/v1/environments/{Id(environment)}/build", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var build = await response.ReadJsonAsync();
        Assert.Equal("hit", build.GetProperty("cache").GetString());
        Assert.Equal("ready", build.GetProperty("status").GetString());
    }

    [Fact]
    public async Task TenEnvironmentsAtOnceWithOneConfig_CauseExactlyOneBuild()
    {
        using var client = await server.NewClientAsync();
        var config = Config(UniqueScript("sleep 2"));

        var environments = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.CreateEnvironmentAsync(config: config)));
        var builds = new List<JsonElement>();
        foreach (var environment in environments)
        {
            builds.Add(await WaitForBuildAsync(client, Id(environment)));
        }

        Assert.Single(builds, b => b.GetProperty("cache").GetString() == "miss");
        Assert.Single(builds.Select(b => b.GetProperty("started_at").GetString()).Distinct());
        Assert.All(builds, b => Assert.Equal("ready", b.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task FailingSetupScript_FailsWithStepExitCodeAndLogTail()
    {
        using var client = await server.NewClientAsync();
        var environment = await client.CreateEnvironmentAsync(config: Config(UniqueScript("echo about-to-fail\nexit 3")));

        var build = await WaitForBuildAsync(client, Id(environment));

        Assert.Equal("failed", build.GetProperty("status").GetString());
        var error = build.GetProperty("error");
        Assert.Equal("environment_configuration_error", error.GetProperty("type").GetString());
        Assert.Equal("setup_script", error.GetProperty("step").GetString());
        Assert.Equal(3, error.GetProperty("exit_code").GetInt32());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Contains("about-to-fail", build.GetProperty("log_tail").GetString());
        Assert.Equal(JsonValueKind.Null, build.GetProperty("image").ValueKind);
    }

    [Fact]
    public async Task MissingAptPackage_FailsInTheAptStepNamingIt()
    {
        using var client = await server.NewClientAsync();
        var environment = await client.CreateEnvironmentAsync(
            config: Config(UniqueScript(), """{"apt":["berth-no-such-package-xyz"]}"""));

        var build = await WaitForBuildAsync(client, Id(environment));

        Assert.Equal("failed", build.GetProperty("status").GetString());
        Assert.Equal("apt", build.GetProperty("error").GetProperty("step").GetString());
        Assert.NotEqual(0, build.GetProperty("error").GetProperty("exit_code").GetInt32());
        Assert.Contains("berth-no-such-package-xyz", build.GetProperty("log_tail").GetString());
    }

    [Fact]
    public async Task BuildLogs_StreamAsServerSentEventsUntilTheBuildEnds()
    {
        using var client = await server.NewClientAsync();
        var environment = await client.CreateEnvironmentAsync(config: Config(UniqueScript("for i in 1 2 3; do echo tick-$i; sleep 0.3; done")));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/environments/{Id(environment)}/build/logs");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var timeout = new CancellationTokenSource(BuildTimeout);

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var text = await response.Content.ReadAsStringAsync(timeout.Token);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("tick-3", text);
        Assert.Contains("event: end", text);
        Assert.Contains("\"status\":\"ready\"", text);
    }

    [Fact]
    public async Task SetupScript_ReachesNeitherThisMachineNorPrivateRanges_WhileRegistriesWork()
    {
        // A server on the engine's default bridge address, which every container on that bridge
        // can reach; a build's container must not.
        var bridge = NetworkInterface.GetAllNetworkInterfaces()
            .Single(n => n.Name == "docker0").GetIPProperties().UnicastAddresses
            .First(a => a.Address.AddressFamily == AddressFamily.InterNetwork).Address;
        using var listener = new TcpListener(bridge, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var probe = $"if timeout 5 bash -c 'exec 3<>/dev/tcp/{bridge}/{port}'; then echo REACHED-HOST; else echo HOST-REFUSED; fi";
        using var client = await server.NewClientAsync();

        // The apt step needs the registries, which the build still reaches.
        var environment = await client.CreateEnvironmentAsync(config: Config(UniqueScript(probe), """{"apt":["jq"]}"""));
        var build = await WaitForBuildAsync(client, Id(environment));
        var log = await client.GetStringAsync($"/v1/environments/{Id(environment)}/build/logs");

        Assert.Equal("ready", build.GetProperty("status").GetString());
        Assert.Contains("HOST-REFUSED", log, StringComparison.Ordinal);
        Assert.False(listener.Pending(), "A build's container connected to this machine.");
    }

    [Fact]
    public async Task Build_OfUnknownEnvironment_Returns404()
    {
        using var client = await server.NewClientAsync();

        await (await client.GetAsync("/v1/environments/env_00000000000000000000000000000000/build")).AssertErrorAsync(404, "not_found_error");
        await (await client.PostAsync("/v1/environments/env_00000000000000000000000000000000/build", null)).AssertErrorAsync(404, "not_found_error");
    }

    [Fact]
    public async Task Build_WithNoCacheOfWrongType_Returns400()
    {
        using var client = await server.NewClientAsync();
        var environment = await client.CreateEnvironmentAsync(config: Config(UniqueScript()));

        var response = await client.PostAsync($"/v1/environments/{Id(environment)}/build", TestHttp.Json("""{"no_cache":"yes"}"""));

        await response.AssertErrorAsync(400, "invalid_request_error", "no_cache");
    }

    [Fact]
    public async Task UnusedImages_AreRemovedOnlyWhenNoEnvironmentReferencesThem()
    {
        using var client = await server.NewClientAsync();
        var config = Config(UniqueScript());
        var kept = await client.CreateEnvironmentAsync(config: config);
        var dropped = await client.CreateEnvironmentAsync(config: Config(UniqueScript()));
        var keptImage = (await WaitForBuildAsync(client, Id(kept))).GetProperty("image").GetString()!;
        var droppedImage = (await WaitForBuildAsync(client, Id(dropped))).GetProperty("image").GetString()!;
        var catalog = server.Get<Runtime.Images.EnvironmentImageCatalog>();

        await client.DeleteAsync($"/v1/environments/{Id(dropped)}");
        await server.Get<Api.Builds.UnusedImageCollector>().CollectOnceAsync(CancellationToken.None);

        var images = (await catalog.ListAsync(CancellationToken.None)).Images.Select(i => i.Image).ToList();
        Assert.Contains(keptImage, images);
        Assert.DoesNotContain(droppedImage, images);
    }
}
