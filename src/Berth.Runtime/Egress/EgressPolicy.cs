using System.Net;
using Berth.Core.Environments;

namespace Berth.Runtime.Egress;

/// <summary>Whether a host may be reached, and the rule that said so.</summary>
internal readonly record struct PolicyVerdict(bool IsAllowed, string Rule)
{
    public string Verdict => IsAllowed ? EgressVerdicts.Allowed : EgressVerdicts.Denied;
}

/// <summary>The host patterns that the server's settings open to <c>limited</c> environments.</summary>
internal sealed record ServiceHosts(IReadOnlyList<string> PackageManagers, IReadOnlyList<string> McpServers);

/// <summary>One session's networking config, applied to host names.</summary>
internal sealed class EgressPolicy(NetworkingConfig networking, ServiceHosts serviceHosts)
{
    public NetworkingConfig Networking { get; } = networking;

    /// <summary>Whether the sandbox belongs on the network whose only way out is the gateway.</summary>
    public bool IsConfined => Networking.Type != NetworkingType.Unrestricted;

    public PolicyVerdict Decide(string host)
    {
        // Whatever the mode, something that is neither a name nor an address names nothing.
        var isAddress = IPAddress.TryParse(host.Trim('[', ']'), out _);
        if (!isAddress && !HostPatterns.IsHostName(host))
        {
            return new PolicyVerdict(false, EgressRules.DefaultDeny);
        }

        if (Networking.Type == NetworkingType.Unrestricted)
        {
            return new PolicyVerdict(true, EgressRules.Unrestricted);
        }

        // Patterns name hosts, never addresses, so a bare address can only be denied; a
        // trailing dot or a port-like suffix must not slip past the matching either.
        if (isAddress)
        {
            return new PolicyVerdict(false, EgressRules.DefaultDeny);
        }

        var pattern = Networking.FindAllowedHostPattern(host);
        if (pattern is not null)
        {
            return new PolicyVerdict(true, EgressRules.AllowedHost(pattern));
        }

        if (Networking.EffectiveAllowPackageManagers && MatchesAny(serviceHosts.PackageManagers, host))
        {
            return new PolicyVerdict(true, EgressRules.PackageManagers);
        }

        return Networking.EffectiveAllowMcpServers && MatchesAny(serviceHosts.McpServers, host)
            ? new PolicyVerdict(true, EgressRules.McpServers)
            : new PolicyVerdict(false, EgressRules.DefaultDeny);
    }

    private static bool MatchesAny(IReadOnlyList<string> patterns, string host) =>
        patterns.Any(pattern => HostPatterns.Matches(pattern, host));
}
