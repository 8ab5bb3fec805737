namespace Berth.Runtime.Sandboxes;

/// <summary>Settings of session sandboxes: their pool of pre-started containers, limits and timeouts.</summary>
public sealed class SandboxOptions
{
    /// <summary>The configuration section these settings are read from.</summary>
    public const string SectionName = "Sandboxes";

    private const long GiB = 1024L * 1024 * 1024;

    /// <summary>
    /// How many started, unused containers to keep ready per configuration in use; 0 turns the
    /// pool off. Each one holds its memory reservation only as far as it is used, which is little.
    /// </summary>
    public int PoolSize { get; set; } = 2;

    /// <summary>How long a configuration's ready containers stay when no session of it starts.</summary>
    public TimeSpan PoolIdleLifetime { get; set; } = TimeSpan.FromMinutes(10);

    public long DefaultMemoryBytes { get; set; } = 2 * GiB;

    public long MaxMemoryBytes { get; set; } = 16 * GiB;

    /// <summary>CPUs a sandbox may use by default; the engine refuses more than the host has.</summary>
    public double DefaultCpus { get; set; } = 1;

    public double MaxCpus { get; set; } = 16;

    /// <summary>Processes and threads a sandbox may have by default; package managers start dozens.</summary>
    public long DefaultPidsLimit { get; set; } = 1024;

    public long MaxPidsLimit { get; set; } = 32768;

    /// <summary>
    /// Whether commands run through a small agent process that each sandbox starts once
    /// (<c>python3</c> in the image), rather than as one engine exec each; the agent starts a
    /// command in about a millisecond, the engine in tens. Off, or where the agent cannot start,
    /// every command is an engine exec.
    /// </summary>
    public bool CommandAgent { get; set; } = true;

    /// <summary>The time limit of a command whose request sets none.</summary>
    public TimeSpan DefaultExecTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The OCI runtime of sandbox containers, for example <c>runsc</c> for gVisor when the engine
    /// has it configured; null for the engine's default.
    /// </summary>
    public string? ContainerRuntime { get; set; }

    /// <summary>The limits of a sandbox whose session asks for none.</summary>
    public SandboxLimits DefaultLimits => new(DefaultMemoryBytes, DefaultCpus, DefaultPidsLimit);
}
