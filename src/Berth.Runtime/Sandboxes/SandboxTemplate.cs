namespace Berth.Runtime.Sandboxes;

/// <summary>
/// What sandboxes of one configuration share, and so what a pooled container must match to be
/// given to a session: image, network, name servers and trusted authority (each fixed when the
/// container is created).
/// </summary>
public sealed record SandboxTemplate(string ConfigHash, string Image)
{
    public string? NetworkName { get; init; }

    public IReadOnlyList<string>? DnsServers { get; init; }

    /// <summary>A certificate authority the sandbox trusts besides its own (see <see cref="SandboxSpec"/>).</summary>
    public string? TrustedCertificate { get; init; }

    internal static SandboxTemplate Of(SandboxSpec spec) => new(spec.ConfigHash, spec.Image)
    {
        NetworkName = spec.NetworkName,
        DnsServers = spec.DnsServers,
        TrustedCertificate = spec.TrustedCertificate,
    };

    // Records compare lists by reference; the pool needs to compare their contents.
    internal string Key =>
        $"{ConfigHash}|{Image}|{NetworkName}|{string.Join(',', DnsServers ?? [])}|{TrustedCertificate}";
}
