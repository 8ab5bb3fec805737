namespace Berth.Runtime.Egress;

/// <summary>One decision of the egress gateway about a sandbox's attempt to reach a host.</summary>
/// <param name="SessionId">The session whose sandbox made the attempt.</param>
/// <param name="Time">When the gateway decided, in UTC.</param>
/// <param name="Host">The name the sandbox asked for, or the address when no name was given.</param>
/// <param name="Port">The destination port (53 for DNS).</param>
/// <param name="Protocol"><c>dns</c>, <c>http</c>, <c>tls</c>, <c>tcp</c>, or <c>udp</c> and <c>icmp</c>
/// for packets the firewall dropped.</param>
/// <param name="Verdict"><c>allowed</c> or <c>denied</c>.</param>
/// <param name="Rule">What decided it: <c>unrestricted</c>, <c>allowed_hosts:&lt;pattern&gt;</c>,
/// <c>package_managers</c>, <c>mcp_servers</c> or <c>default_deny</c>.</param>
public sealed record EgressDecision(
    string SessionId,
    DateTimeOffset Time,
    string Host,
    int Port,
    string Protocol,
    string Verdict,
    string Rule);
