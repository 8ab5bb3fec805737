namespace Berth.Runtime.Egress;

/// <summary>What the firewall rules are made from: this instance's networks, ports and log group.</summary>
internal sealed record FirewallLayout(
    string ChainPrefix,
    SandboxNetwork Confined,
    SandboxNetwork Open,
    AddressRules Addresses,
    int ProxyPort,
    int TransparentPort,
    int LogGroup);

/// <summary>A jump from a built-in (or Docker's) chain into one of Berth's, for one sandbox bridge.</summary>
internal sealed record FirewallHook(bool IsIpv6, string Table, string Chain, string Bridge, string Target)
{
    public IReadOnlyList<string> Rule => ["-i", Bridge, "-j", Target];
}
