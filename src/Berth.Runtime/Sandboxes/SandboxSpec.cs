namespace Berth.Runtime.Sandboxes;

/// <summary>Memory in bytes (no swap on top), CPUs (fractions allowed) and processes plus threads.</summary>
public sealed record SandboxLimits(long MemoryBytes, double Cpus, long PidsLimit);

/// <summary>
/// What a session's sandbox is started from: its image (<c>berth/env:&lt;ConfigHash&gt;</c> for a
/// built environment), limits and network. <paramref name="SessionId"/> names the container, so
/// it is 1-200 of [A-Za-z0-9_.-].
/// </summary>
public sealed record SandboxSpec(
    string SessionId,
    string EnvironmentId,
    string ConfigHash,
    string Image,
    SandboxLimits Limits)
{
    /// <summary>The network to attach to; null for the engine's default bridge.</summary>
    public string? NetworkName { get; init; }

    /// <summary>The name servers the sandbox resolves with; null for the engine's choice.</summary>
    public IReadOnlyList<string>? DnsServers { get; init; }

    /// <summary>
    /// A certificate authority (PEM file on this machine) the sandbox trusts besides its own:
    /// the egress gateway's, which answers the TLS of confined sandboxes; null for none.
    /// </summary>
    public string? TrustedCertificate { get; init; }
}
