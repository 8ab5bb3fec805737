using Berth.Runtime.Images;
using Berth.Runtime.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Runtime.Tests;

[Collection(DockerTestGroup.Name)]
public sealed class RuntimeProbeTests(DockerFixture docker)
{
    private const string MissingSocket = "unix:///tmp/berth-tests-no-docker-here.sock";

    [Fact]
    public async Task Ping_OfRunningEngine_ReturnsItsVersions()
    {
        using var timeout = Bounded.Quick();
        using var services = RuntimeServices.Create(o => o.InstanceName = docker.InstanceName);

        var availability = await services.GetRequiredService<RuntimeProbe>().PingAsync(timeout.Token);

        Assert.True(availability.IsAvailable, availability.Problem);
        Assert.False(string.IsNullOrEmpty(availability.ApiVersion));
        Assert.False(string.IsNullOrEmpty(availability.ServerVersion));
    }

    [Fact]
    public async Task Ping_OfMissingSocket_ReturnsUnavailableWithReason()
    {
        using var timeout = Bounded.Quick();
        using var services = RuntimeServices.Create(o => o.DockerEndpoint = MissingSocket);

        var availability = await services.GetRequiredService<RuntimeProbe>().PingAsync(timeout.Token);

        Assert.False(availability.IsAvailable);
        Assert.Contains(MissingSocket, availability.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_WithMissingSocket_ReturnsRuntimeUnavailable()
    {
        using var timeout = Bounded.Quick();
        using var services = RuntimeServices.Create(o => o.DockerEndpoint = MissingSocket);
        var builder = services.GetRequiredService<EnvironmentImageBuilder>();

        var result = await builder.BuildAsync(new ImageBuildRequest(TestHashes.New()), BuildLog.Discard, timeout.Token);

        Assert.IsType<RuntimeUnavailable>(result);
    }

    [Fact]
    public async Task Catalog_WithMissingSocket_AnswersRuntimeUnavailable()
    {
        using var timeout = Bounded.Quick();
        using var services = RuntimeServices.Create(o => o.DockerEndpoint = MissingSocket);
        var catalog = services.GetRequiredService<EnvironmentImageCatalog>();

        var presence = await catalog.FindAsync(TestHashes.New(), timeout.Token);
        var list = await catalog.ListAsync(timeout.Token);

        Assert.Equal(ImagePresence.RuntimeUnavailable, presence);
        Assert.False(list.IsAvailable);
    }
}
