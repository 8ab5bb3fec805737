using System.Net.NetworkInformation;
using System.Net.Sockets;
using Berth.Runtime.Docker;
using Berth.Runtime.Images;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Runtime.Tests.Support;

/// <summary>
/// The real Docker engine for the runtime tests, shared by all of them: checks that it answers
/// (failing every test with the reason when it does not), makes sure the base image exists,
/// and serves a local pip index. Everything it builds carries its own instance label and is
/// removed at the end.
/// </summary>
public sealed class DockerFixture : IAsyncLifetime, IDisposable
{
    public const string ProbeProject = "berth-probe";
    public const string ProbeModule = "berth_probe";
    public const int ProbeValue = 42;

    private static readonly TimeSpan BaseImageTimeout = TimeSpan.FromMinutes(20);
    private static readonly TimeSpan SetupTimeout = TimeSpan.FromMinutes(1);

    private ServiceProvider? _services;
    private PackageIndexServer? _packageIndex;

    public string InstanceName { get; } = $"berth-tests-{Guid.NewGuid():N}"[..24];

    public EnvironmentImageBuilder Builder => Services.GetRequiredService<EnvironmentImageBuilder>();

    public EnvironmentImageCatalog Catalog => Services.GetRequiredService<EnvironmentImageCatalog>();

    internal DockerImageOperations Images => Services.GetRequiredService<DockerImageOperations>();

    internal DockerContainerOperations Containers => Services.GetRequiredService<DockerContainerOperations>();

    internal DockerExecOperations Exec => Services.GetRequiredService<DockerExecOperations>();

    private ServiceProvider Services =>
        _services ?? throw new InvalidOperationException("The Docker fixture has not started.");

    public async Task InitializeAsync()
    {
        using var setup = new CancellationTokenSource(SetupTimeout);
        var gateway = await FindReachableHostAddressAsync(setup.Token);
        var probeWheel = Wheel.Create(ProbeModule, "1.0.0", ProbeValue);
        _packageIndex = new PackageIndexServer(gateway, [(ProbeProject, probeWheel)]);
        _services = RuntimeServices.Create(o =>
        {
            o.InstanceName = InstanceName;
            o.PipIndexUrl = _packageIndex.Url;
        });

        using var baseTimeout = new CancellationTokenSource(BaseImageTimeout);
        var baseImage = await Builder.EnsureBaseImageAsync(BuildLog.Discard, baseTimeout.Token);
        if (baseImage is not ImageBuilt)
        {
            throw new InvalidOperationException($"The base image could not be made or found: {baseImage}");
        }
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await RemoveEverythingOfThisRunAsync();
            await _services.DisposeAsync();
        }

        Dispose();
    }

    public void Dispose() => _packageIndex?.Dispose();

    /// <summary>Builds without keeping the log.</summary>
    internal Task<ImageBuildResult> BuildAsync(ImageBuildRequest request, CancellationToken cancellationToken) =>
        Builder.BuildAsync(request, BuildLog.Discard, cancellationToken);

    /// <summary>Runs a shell command in a new container of <paramref name="image"/>: exit code and output.</summary>
    internal async Task<(long ExitCode, string Output)> RunInImageAsync(
        string image, string command, CancellationToken cancellationToken)
    {
        var spec = new ContainerSpec(image, ["sleep", "infinity"], [], "",
            BerthLabels.For(InstanceName, "test-run"));
        var id = await Containers.CreateAsync(spec, cancellationToken);
        try
        {
            await Containers.StartAsync(id, cancellationToken);
            var output = new List<string>();
            var exitCode = await Exec.RunAsync(id, new ExecCommand(["bash", "-c", command], [], ""),
                output.Add, cancellationToken);

            return (exitCode, string.Join('\n', output));
        }
        finally
        {
            await Containers.RemoveAsync(id, CancellationToken.None);
        }
    }

    // The pip index must listen where build containers reach it and nothing outside the
    // machine does: the default bridge's gateway is this machine's own address on that bridge.
    private static async Task<string> FindReachableHostAddressAsync(CancellationToken cancellationToken)
    {
        using var services = RuntimeServices.Create(_ => { });
        var availability = await services.GetRequiredService<RuntimeProbe>().PingAsync(cancellationToken);
        if (!availability.IsAvailable)
        {
            throw new InvalidOperationException(
                $"These tests need a Docker engine and none answered: {availability.Problem} "
                + "Run scripts/ensure-docker.sh as root, then run the tests again.");
        }

        var bridge = await services.GetRequiredService<DockerNetworkOperations>()
            .InspectAddressesAsync("bridge", cancellationToken);

        return bridge.Gateway ?? AddressOfInterface(bridge.BridgeInterface)
            ?? throw new InvalidOperationException(
                "Docker's default bridge has no gateway address, "
                + $"and its interface '{bridge.BridgeInterface}' has no IPv4 address.");
    }

    private static string? AddressOfInterface(string? name) =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.Name == name)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork)
            .Select(a => a.Address.ToString())
            .FirstOrDefault();

    private async Task RemoveEverythingOfThisRunAsync()
    {
        using var timeout = new CancellationTokenSource(SetupTimeout);
        foreach (var kind in new[] { "test-run", BerthLabels.ImageBuildKind })
        {
            var ids = await Containers.ListIdsAsync(BerthLabels.For(InstanceName, kind), timeout.Token);
            foreach (var id in ids)
            {
                await Containers.RemoveAsync(id, timeout.Token);
            }
        }

        var images = await Images.ListAsync(
            BerthLabels.For(InstanceName, BerthLabels.EnvironmentImageKind), timeout.Token);
        foreach (var image in images)
        {
            await Images.RemoveAsync(image.Id, timeout.Token);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DockerTestGroup : ICollectionFixture<DockerFixture>
{
    public const string Name = "Docker";
}
