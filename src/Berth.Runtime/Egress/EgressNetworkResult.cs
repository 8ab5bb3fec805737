namespace Berth.Runtime.Egress;

/// <summary>
/// Where sandboxes of a policy go: <see cref="EgressNetworkReady"/>, or
/// <see cref="EgressUnavailable"/> when the gateway cannot confine them.
/// </summary>
public abstract record EgressNetworkResult
{
    private protected EgressNetworkResult()
    {
    }
}

/// <summary>
/// The Docker network to start the sandbox on and the DNS servers to give it (the gateway's own
/// address); <paramref name="ProxyUrl"/> is the gateway's HTTP proxy, for clients that want one.
/// </summary>
public sealed record EgressNetworkReady(
    string NetworkName, IReadOnlyList<string> DnsServers, string ProxyUrl) : EgressNetworkResult
{
    /// <summary>
    /// The gateway's certificate authority (a PEM file on this machine), which the sandbox must
    /// trust because the gateway answers its TLS; null when the gateway does not.
    /// </summary>
    public string? TrustedCertificate { get; init; }
}

/// <summary>
/// The networks, firewall rules or listeners could not be set up (for example, Berth does not
/// run as root); no sandbox should start, as nothing would confine it.
/// </summary>
public sealed record EgressUnavailable(string Reason) : EgressNetworkResult;
