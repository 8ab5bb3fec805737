namespace Berth.Runtime.Egress;

/// <summary>The protocol names of <see cref="EgressDecision.Protocol"/>.</summary>
internal static class EgressProtocols
{
    public const string Dns = "dns";
    public const string Http = "http";
    public const string Tls = "tls";
    public const string Tcp = "tcp";
    public const string Udp = "udp";
    public const string Icmp = "icmp";
}

/// <summary>The verdicts of <see cref="EgressDecision.Verdict"/>.</summary>
public static class EgressVerdicts
{
    public const string Allowed = "allowed";
    public const string Denied = "denied";
}

/// <summary>The rule names of <see cref="EgressDecision.Rule"/>.</summary>
internal static class EgressRules
{
    public const string Unrestricted = "unrestricted";
    public const string PackageManagers = "package_managers";
    public const string McpServers = "mcp_servers";
    public const string DefaultDeny = "default_deny";

    public static string AllowedHost(string pattern) => $"allowed_hosts:{pattern}";
}
