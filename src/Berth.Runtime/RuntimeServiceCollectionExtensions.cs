using System.Text.RegularExpressions;
using Berth.Runtime.BaseImages;
using Berth.Runtime.Docker;
using Berth.Runtime.Images;
using Berth.Runtime.Sandboxes;
using Berth.Runtime.Sandboxes.Agent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Berth.Runtime;

/// <summary>Registers the container runtime services.</summary>
public static partial class RuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="EnvironmentImageBuilder"/>, <see cref="EnvironmentImageCatalog"/>,
    /// <see cref="RuntimeProbe"/>, <see cref="SandboxRuntime"/> and <see cref="SandboxPool"/> as
    /// singletons, configured by <see cref="RuntimeOptions"/> and <see cref="SandboxOptions"/>.
    /// </summary>
    public static IServiceCollection AddBerthRuntime(
        this IServiceCollection services, Action<RuntimeOptions>? configure = null,
        Action<SandboxOptions>? configureSandboxes = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<RuntimeOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options
            .Validate(o => InstanceNamePattern().IsMatch(o.InstanceName),
                "Runtime:InstanceName must be 1-63 of [A-Za-z0-9_.-].")
            .Validate(o => Uri.TryCreate(o.DockerEndpoint, UriKind.Absolute, out _),
                "Runtime:DockerEndpoint must be an absolute URI such as unix:///var/run/docker.sock.")
            .Validate(o => IsHttpUrl(o.PipIndexUrl), "Runtime:PipIndexUrl must be an http or https URL.")
            .Validate(o => IsHttpUrl(o.NpmRegistryUrl), "Runtime:NpmRegistryUrl must be an http or https URL.")
            .Validate(o => o.FailureLogTailLines > 0, "Runtime:FailureLogTailLines must be positive.");

        AddSandboxOptions(services, configureSandboxes);

        services.AddSingleton<DockerConnection>();
        services.AddSingleton(sp => new DockerImageOperations(sp.GetRequiredService<DockerConnection>()));
        services.AddSingleton(sp => new DockerContainerOperations(sp.GetRequiredService<DockerConnection>()));
        services.AddSingleton(sp => new DockerExecOperations(sp.GetRequiredService<DockerConnection>()));
        services.AddSingleton(sp => new DockerNetworkOperations(sp.GetRequiredService<DockerConnection>()));
        services.AddSingleton(sp => new DockerSystemOperations(sp.GetRequiredService<DockerConnection>()));
        services.AddSingleton(sp => new DockerArchiveOperations(sp.GetRequiredService<DockerConnection>()));
        services.AddSingleton(sp => new BaseImageProvider(
            sp.GetRequiredService<DockerImageOperations>(), Options(sp), Logger<BaseImageProvider>(sp)));
        services.AddSingleton(sp => new ImageBuildRun(
            sp.GetRequiredService<DockerContainerOperations>(), sp.GetRequiredService<DockerExecOperations>(),
            sp.GetRequiredService<DockerImageOperations>(), Options(sp), Logger<ImageBuildRun>(sp)));
        services.AddSingleton(sp => new EnvironmentImageBuilder(
            sp.GetRequiredService<BaseImageProvider>(), sp.GetRequiredService<ImageBuildRun>(),
            sp.GetRequiredService<DockerImageOperations>(), Logger<EnvironmentImageBuilder>(sp)));
        services.AddSingleton(sp => new EnvironmentImageCatalog(
            sp.GetRequiredService<DockerImageOperations>(), sp.GetRequiredService<DockerContainerOperations>(),
            Options(sp), Logger<EnvironmentImageCatalog>(sp)));
        services.AddSingleton(sp => new RuntimeProbe(
            sp.GetRequiredService<DockerSystemOperations>(), Logger<RuntimeProbe>(sp)));

        AddSandboxes(services);
        AddEgress(services);

        return services;
    }

    private static void AddSandboxOptions(IServiceCollection services, Action<SandboxOptions>? configure)
    {
        var options = services.AddOptions<SandboxOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options
            .Validate(o => o.PoolSize >= 0, "Sandboxes:PoolSize must not be negative.")
            .Validate(o => o.PoolIdleLifetime > TimeSpan.Zero, "Sandboxes:PoolIdleLifetime must be positive.")
            .Validate(o => o.DefaultExecTimeout > TimeSpan.Zero, "Sandboxes:DefaultExecTimeout must be positive.")
            .Validate(o => SandboxIsolation.Problem(o.DefaultLimits, o) is null,
                "Sandboxes: the default memory, CPUs and process limit must lie within their maximums.");
    }

    private static void AddSandboxes(IServiceCollection services)
    {
        services.AddSingleton(sp => new CommandAgents(
            sp.GetRequiredService<DockerExecOperations>(), sp.GetRequiredService<IOptions<SandboxOptions>>(),
            Logger<CommandAgents>(sp)));
        services.AddSingleton(sp => new SandboxContainers(
            sp.GetRequiredService<DockerContainerOperations>(), sp.GetRequiredService<CommandAgents>(), Options(sp),
            sp.GetRequiredService<IOptions<SandboxOptions>>(), Logger<SandboxContainers>(sp)));
        services.AddSingleton(sp => new SandboxPool(
            sp.GetRequiredService<SandboxContainers>(), sp.GetRequiredService<IOptions<SandboxOptions>>(),
            Logger<SandboxPool>(sp)));
        services.AddSingleton(sp => new SandboxExec(
            sp.GetRequiredService<DockerExecOperations>(), sp.GetRequiredService<CommandAgents>(),
            sp.GetRequiredService<IOptions<SandboxOptions>>(),
            Logger<SandboxExec>(sp)));
        services.AddSingleton(sp => new SandboxFiles(
            sp.GetRequiredService<DockerExecOperations>(), sp.GetRequiredService<DockerArchiveOperations>(),
            Logger<SandboxFiles>(sp)));
        services.AddSingleton(sp => new SandboxRuntime(
            sp.GetRequiredService<SandboxContainers>(), sp.GetRequiredService<SandboxPool>(),
            sp.GetRequiredService<SandboxExec>(), sp.GetRequiredService<SandboxFiles>(),
            sp.GetRequiredService<IOptions<SandboxOptions>>(), Logger<SandboxRuntime>(sp)));
    }

    private static IOptions<RuntimeOptions> Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<RuntimeOptions>>();

    // Logging is the host's to register; without it the runtime logs nowhere rather than failing.
    private static ILogger<T> Logger<T>(IServiceProvider services) =>
        (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<T>();

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,63}$")]
    private static partial Regex InstanceNamePattern();
}
