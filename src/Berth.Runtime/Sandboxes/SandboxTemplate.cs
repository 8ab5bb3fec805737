namespace Berth.Runtime.Sandboxes;

/// <summary>
/// What sandboxes of one configuration share, and so what a pooled container must match to be
/// given to a session: image, network and name servers (a container's name servers are fixed
/// when it is created).
/// </summary>
public sealed record SandboxTemplate(string ConfigHash, string Image)
{
    public string? NetworkName { get; init; }

    public IReadOnlyList<string>? DnsServers { get; init; }

    internal static SandboxTemplate Of(SandboxSpec spec) => new(spec.ConfigHash, spec.Image)
    {
        NetworkName = spec.NetworkName,
        DnsServers = spec.DnsServers,
    };

    // Records compare lists by reference; the pool needs to compare their contents.
    internal string Key =>
        $"{ConfigHash}|{Image}|{NetworkName}|{string.Join(',', DnsServers ?? [])}";
}
