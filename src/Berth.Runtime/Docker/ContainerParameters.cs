using Docker.DotNet.Models;

namespace Berth.Runtime.Docker;

/// <summary>Translates between Berth's container records and the Engine API's models.</summary>
internal static class ContainerParameters
{
    private const string NoNewPrivileges = "no-new-privileges";

    public static CreateContainerParameters ForCreate(ContainerSpec spec) => new()
    {
        Name = spec.Name,
        Hostname = spec.Hostname,
        Image = spec.Image,
        Entrypoint = spec.Entrypoint.ToList(),
        Env = spec.Env.ToList(),
        WorkingDir = spec.WorkingDir,
        Labels = spec.Labels.ToDictionary(),
        HostConfig = HostConfigFor(spec),
        OpenStdin = spec.Attached,
        StdinOnce = spec.Attached,
        AttachStdin = spec.Attached,
        AttachStdout = spec.Attached,
        AttachStderr = spec.Attached,

        // An attached main process ends with its client, not on a polite signal; a stop kills it.
        StopSignal = spec.Attached ? "SIGKILL" : null,
    };

    public static ContainerUpdateParameters ForUpdate(ContainerLimits limits) => new()
    {
        Memory = limits.MemoryBytes,
        MemorySwap = limits.MemoryBytes,
        NanoCPUs = limits.NanoCpus,
        PidsLimit = limits.PidsLimit,
    };

    public static ContainerSummary ToSummary(ContainerListResponse container) => new(
        container.ID,
        container.Names?.FirstOrDefault()?.TrimStart('/') ?? "",
        ToDictionary(container.Labels),
        container.State == "running");

    public static ContainerDetails ToDetails(ContainerInspectResponse container)
    {
        var host = container.HostConfig ?? new HostConfig();

        return new ContainerDetails(
            container.ID,
            container.Name?.TrimStart('/') ?? "",
            container.Config?.Image ?? container.Image,
            container.State?.Running ?? false,
            ToDictionary(container.Config?.Labels),
            container.Config?.Env?.ToList() ?? [],
            container.Config?.WorkingDir ?? "",
            new ContainerHostSettings(
                host.CapAdd?.ToList() ?? [],
                host.CapDrop?.ToList() ?? [],
                host.SecurityOpt?.ToList() ?? [],
                host.Init ?? false,
                host.Privileged,
                new ContainerLimits(host.Memory, host.NanoCPUs, host.PidsLimit ?? 0),
                host.NetworkMode ?? "",
                host.DNS?.ToList() ?? [],
                container.Mounts?.Count ?? 0));
    }

    private static HostConfig? HostConfigFor(ContainerSpec spec)
    {
        if (spec.Isolation is null && spec.Limits is null && spec.Network is null && spec.DnsServers is null
            && !spec.Attached && spec.ReadOnlyFiles.Count == 0)
        {
            return null;
        }

        var config = new HostConfig
        {
            NetworkMode = spec.Network,
            DNS = spec.DnsServers?.ToList(),
            Binds = spec.ReadOnlyFiles.Count == 0
                ? null
                : spec.ReadOnlyFiles.Select(f => $"{f.HostPath}:{f.ContainerPath}:ro").ToList(),
        };
        if (spec.Isolation is { } isolation)
        {
            config.CapDrop = ["ALL"];
            config.CapAdd = isolation.Capabilities.ToList();
            config.SecurityOpt = [NoNewPrivileges];
            config.Init = isolation.Init;
            config.Runtime = isolation.Runtime;
        }

        if (spec.Attached)
        {
            // What the main process writes is for the attached client alone.
            config.LogConfig = new LogConfig { Type = "none" };
        }

        if (spec.Limits is { } limits)
        {
            // Swap equal to memory means no swap at all, so the memory limit is the real one.
            config.Memory = limits.MemoryBytes;
            config.MemorySwap = limits.MemoryBytes;
            config.NanoCPUs = limits.NanoCpus;
            config.PidsLimit = limits.PidsLimit;
        }

        return config;
    }

    private static Dictionary<string, string> ToDictionary(IDictionary<string, string>? labels) =>
        labels is null ? [] : new Dictionary<string, string>(labels);
}
