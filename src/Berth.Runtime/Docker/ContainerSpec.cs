namespace Berth.Runtime.Docker;

/// <summary>What Berth sets on a container it creates.</summary>
internal sealed record ContainerSpec(
    string Image,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> Env,
    string WorkingDir,
    IReadOnlyDictionary<string, string> Labels)
{
    public string? Name { get; init; }

    public string? Hostname { get; init; }

    /// <summary>Confinement of an untrusted workload; null leaves the engine's defaults.</summary>
    public ContainerIsolation? Isolation { get; init; }

    public ContainerLimits? Limits { get; init; }

    /// <summary>The network to attach to; null for the engine's default bridge.</summary>
    public string? Network { get; init; }

    public IReadOnlyList<string>? DnsServers { get; init; }

    /// <summary>Files of this machine the container sees, read-only, at the paths given.</summary>
    public IReadOnlyList<ReadOnlyFile> ReadOnlyFiles { get; init; } = [];

    /// <summary>
    /// The main process talks to one client over its stdin and stdout: the client attaches before
    /// the start, stdin ends when that client goes, and output is not logged.
    /// </summary>
    public bool Attached { get; init; }
}

/// <summary>
/// Every capability dropped except <paramref name="Capabilities"/>, no privilege gain through
/// setuid binaries, and, with <paramref name="Init"/>, the engine's small init as PID 1 to reap
/// orphaned processes (without it, the main process must). <paramref name="Runtime"/> is the OCI
/// runtime (for example <c>runsc</c>), or null for the engine's default.
/// </summary>
internal sealed record ContainerIsolation(IReadOnlyList<string> Capabilities, string? Runtime, bool Init = true);

/// <summary>A file of this machine, at <paramref name="HostPath"/>, seen read-only in the container at <paramref name="ContainerPath"/>.</summary>
internal sealed record ReadOnlyFile(string HostPath, string ContainerPath);

/// <summary>Memory (without swap), CPU time in billionths of a CPU, and the number of processes and threads.</summary>
internal sealed record ContainerLimits(long MemoryBytes, long NanoCpus, long PidsLimit);
