using Berth.Runtime.Docker;
using Berth.Runtime.Images;
using Berth.Runtime.Sandboxes;
using Berth.Runtime.Sandboxes.Agent;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Runtime.Tests.Sandboxes;

/// <summary>
/// The real Docker engine for sandbox tests: a runtime with its own instance label and no pool,
/// the base image, and one started sandbox that tests which change nothing share. One per test
/// class, so that classes run in parallel; everything labelled with its instance goes at the end.
/// Sandboxes it starts have their command agent ready before a test gets them.
/// </summary>
public class SandboxFixture : IAsyncLifetime
{
    private static readonly TimeSpan SetupTimeout = TimeSpan.FromMinutes(20);
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromMinutes(1);

    private readonly List<ServiceProvider> _services = [];
    private string? _image;
    private string? _sharedContainerId;

    /// <summary>Whether commands go through the sandbox's command agent rather than engine execs.</summary>
    public virtual bool UsesCommandAgent => true;

    public string InstanceName { get; } = $"berth-sbx-{Guid.NewGuid():N}"[..24];

    /// <summary>The base image every test sandbox starts from.</summary>
    public string Image => _image ?? throw new InvalidOperationException("The sandbox fixture has not started.");

    /// <summary>A running sandbox for tests that leave it as they found it.</summary>
    public string SharedContainerId =>
        _sharedContainerId ?? throw new InvalidOperationException("The sandbox fixture has not started.");

    public SandboxRuntime Runtime => Services.GetRequiredService<SandboxRuntime>();

    internal DockerContainerOperations Containers => Services.GetRequiredService<DockerContainerOperations>();

    internal DockerExecOperations Exec => Services.GetRequiredService<DockerExecOperations>();

    internal CommandAgents Agents => Services.GetRequiredService<CommandAgents>();

    private ServiceProvider Services =>
        _services.Count > 0 ? _services[0] : throw new InvalidOperationException("The sandbox fixture has not started.");

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(SetupTimeout);
        CreateServices(o =>
        {
            o.PoolSize = 0;
            o.CommandAgent = UsesCommandAgent;
        });
        await ThrowUnlessEngineAnswersAsync(timeout.Token);

        var baseImage = await Services.GetRequiredService<EnvironmentImageBuilder>()
            .EnsureBaseImageAsync(BuildLog.Discard, timeout.Token);
        _image = baseImage is ImageBuilt built
            ? built.Image
            : throw new InvalidOperationException($"The base image could not be made or found: {baseImage}");
        _sharedContainerId = await StartSandboxAsync(timeout.Token);
    }

    public async Task DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(CleanupTimeout);
        foreach (var services in _services)
        {
            await services.DisposeAsync();
        }

        using var cleanup = CreateServicesDetached();
        var containers = cleanup.GetRequiredService<DockerContainerOperations>();
        var ids = await containers.ListIdsAsync(BerthLabels.For(InstanceName, "sandbox"), timeout.Token);
        foreach (var id in ids)
        {
            await containers.RemoveAsync(id, timeout.Token);
        }
    }

    /// <summary>A spec for a new session of this fixture's image, with the default limits.</summary>
    public SandboxSpec NewSpec(string? configHash = null) => new(
        $"sess_{Guid.NewGuid():N}", "env_test", configHash ?? "sandbox-tests", Image, Runtime.DefaultLimits);

    /// <summary>Starts a sandbox that the calling test may change; the fixture removes it at the end.</summary>
    public async Task<string> StartSandboxAsync(CancellationToken cancellationToken)
    {
        var result = await Runtime.StartAsync(NewSpec(), cancellationToken);
        if (result is not SandboxStarted started)
        {
            throw new InvalidOperationException($"A test sandbox did not start: {result}");
        }

        if (UsesCommandAgent && await Agents.EnsureAsync(started.ContainerId, cancellationToken) is null)
        {
            throw new InvalidOperationException("The test sandbox's command agent did not start.");
        }

        return started.ContainerId;
    }

    /// <summary>Another runtime of this instance with its own sandbox settings, disposed with the fixture.</summary>
    public ServiceProvider CreateServices(Action<SandboxOptions> configure)
    {
        var services = new ServiceCollection()
            .AddBerthRuntime(o => o.InstanceName = InstanceName, configure)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        _services.Add(services);

        return services;
    }

    private ServiceProvider CreateServicesDetached() =>
        new ServiceCollection()
            .AddBerthRuntime(o => o.InstanceName = InstanceName)
            .BuildServiceProvider();

    private async Task ThrowUnlessEngineAnswersAsync(CancellationToken cancellationToken)
    {
        var availability = await Services.GetRequiredService<RuntimeProbe>().PingAsync(cancellationToken);
        if (!availability.IsAvailable)
        {
            throw new InvalidOperationException(
                $"These tests need a Docker engine and none answered: {availability.Problem} "
                + "Run scripts/ensure-docker.sh as root, then run the tests again.");
        }
    }
}

/// <summary>A <see cref="SandboxFixture"/> whose commands are all engine execs, with no command agent.</summary>
public sealed class EngineExecSandboxFixture : SandboxFixture
{
    public override bool UsesCommandAgent => false;
}
