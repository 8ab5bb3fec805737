namespace Berth.Runtime.Docker;

/// <summary>One row of a container listing.</summary>
internal sealed record ContainerSummary(
    string Id,
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    bool Running);

/// <summary>What Berth reads back from a container: identity, state and the settings it was given.</summary>
internal sealed record ContainerDetails(
    string Id,
    string Name,
    string Image,
    bool Running,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> Env,
    string WorkingDir,
    ContainerHostSettings Host);

/// <summary>The host-side settings of a container, as the engine reports them.</summary>
internal sealed record ContainerHostSettings(
    IReadOnlyList<string> CapabilitiesAdded,
    IReadOnlyList<string> CapabilitiesDropped,
    IReadOnlyList<string> SecurityOptions,
    bool Init,
    bool Privileged,
    ContainerLimits Limits,
    string NetworkMode,
    IReadOnlyList<string> DnsServers,
    int MountCount);
