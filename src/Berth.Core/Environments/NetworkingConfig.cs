namespace Berth.Core.Environments;

/// <summary>The <c>networking</c> part of an environment's config, holding only what the client sent.</summary>
/// <remarks>Null members were not sent; the <c>Effective…</c> members apply the documented defaults.</remarks>
public sealed record NetworkingConfig(
    NetworkingType Type,
    IReadOnlyList<string>? AllowedHosts,
    bool? AllowPackageManagers,
    bool? AllowMcpServers)
{
    /// <summary>The policy that applies when an environment's config has no <c>networking</c>.</summary>
    public static NetworkingConfig Unrestricted { get; } = new(NetworkingType.Unrestricted, null, null, null);

    public IReadOnlyList<string> EffectiveAllowedHosts => AllowedHosts ?? [];

    /// <summary>Whether package-registry hosts are reachable beyond the allowed hosts.</summary>
    public bool EffectiveAllowPackageManagers =>
        Type == NetworkingType.Limited && AllowPackageManagers == true;

    /// <summary>Whether the server's MCP server hosts are reachable beyond the allowed hosts.</summary>
    public bool EffectiveAllowMcpServers =>
        Type == NetworkingType.Limited && AllowMcpServers == true;

    /// <summary>The first allowed host pattern that matches <paramref name="host"/>, or null.</summary>
    /// <remarks>Names the rule behind an egress decision, such as <c>allowed_hosts:*.example.com</c>.</remarks>
    public string? FindAllowedHostPattern(string host) =>
        EffectiveAllowedHosts.FirstOrDefault(pattern => HostPatterns.Matches(pattern, host));

    public bool Equals(NetworkingConfig? other) =>
        other is not null
        && Type == other.Type
        && Sequences.Equal(AllowedHosts, other.AllowedHosts)
        && AllowPackageManagers == other.AllowPackageManagers
        && AllowMcpServers == other.AllowMcpServers;

    public override int GetHashCode() =>
        HashCode.Combine(Type, Sequences.Hash(AllowedHosts), AllowPackageManagers, AllowMcpServers);
}
