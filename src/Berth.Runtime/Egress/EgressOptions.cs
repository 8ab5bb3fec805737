namespace Berth.Runtime.Egress;

/// <summary>Settings for the egress gateway, through which sandboxes reach the network.</summary>
public sealed class EgressOptions
{
    /// <summary>The configuration section these settings are read from.</summary>
    public const string SectionName = "Egress";

    /// <summary>
    /// Names and the IPv4 addresses the gateway connects to for them, looked up before the
    /// system resolver, as <c>/etc/hosts</c> would be; tests name their local servers here.
    /// Addresses given here are trusted: they may be private or loopback addresses.
    /// </summary>
    public Dictionary<string, string> HostsMap { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Host patterns that <c>allow_package_managers</c> opens. The hosts of this machine's apt
    /// sources and of the runtime's pip index and npm registry are added to them.
    /// </summary>
    public string[] PackageManagerHosts { get; set; } =
    [
        "deb.debian.org", "security.debian.org", "ftp.debian.org", "cdn-fastly.deb.debian.org",
        "archive.ubuntu.com", "security.ubuntu.com", "ports.ubuntu.com",
        "pypi.org", "files.pythonhosted.org", "registry.npmjs.org", "registry.yarnpkg.com",
        "proxy.golang.org", "sum.golang.org", "index.crates.io", "static.crates.io",
        "rubygems.org", "repo.maven.apache.org", "repo1.maven.org", "api.nuget.org",
    ];

    /// <summary>Host patterns of the MCP servers that <c>allow_mcp_servers</c> opens.</summary>
    public string[] McpServerHosts { get; set; } = [];

    /// <summary>
    /// Ranges in private address space (CIDR, such as <c>10.20.0.0/16</c>) that sandboxes may
    /// reach after all; link-local addresses, the host itself and other sandboxes stay closed.
    /// </summary>
    public string[] AllowedPrivateRanges { get; set; } = [];

    /// <summary>TCP ports on which the gateway forwards the connections of confined sandboxes.</summary>
    public int[] ForwardedPorts { get; set; } = [80, 443];

    /// <summary>Forward every TCP port rather than only <see cref="ForwardedPorts"/>.</summary>
    public bool ForwardAllPorts { get; set; }

    /// <summary>Port of the HTTP proxy (CONNECT and absolute-URI requests) on each sandbox network's gateway.</summary>
    public int ProxyPort { get; set; } = 3128;

    /// <summary>Port on the confined network's gateway to which the firewall redirects sandboxes' TCP.</summary>
    public int TransparentPort { get; set; } = 15001;

    /// <summary>
    /// Netfilter log group through which the firewall reports the packets it drops; each
    /// Berth instance on a machine needs its own. When null, one is derived from the instance name.
    /// </summary>
    public int? PacketLogGroup { get; set; }

    /// <summary>Whether the hosts of this machine's apt sources count as package-manager hosts.</summary>
    public bool IncludeHostAptSources { get; set; } = true;

    /// <summary>Path or name of the iptables program.</summary>
    public string IptablesPath { get; set; } = "iptables";

    /// <summary>Path or name of the ip6tables program.</summary>
    public string Ip6tablesPath { get; set; } = "ip6tables";

    /// <summary>
    /// How many connections one sandbox may have open to the gateway at once, forwarded or still
    /// being read; further ones are reset at once until some close.
    /// </summary>
    public int MaxConnectionsPerSandbox { get; set; } = 512;

    /// <summary>
    /// How many connections all sandboxes together may have open to the gateway. When null, an
    /// eighth of the process's open-file limit less 1,024 kept for the rest of the server (a
    /// forwarded connection holds six descriptors and two threads), at most 8,192.
    /// </summary>
    public int? MaxConnections { get; set; }

    /// <summary>
    /// Whether the gateway answers the TLS of confined sandboxes itself, with a certificate of its
    /// own authority that they trust, so that it can check the host the HTTP request inside names
    /// (its Host header) and not only the server name. Off, TLS is judged by its server name alone.
    /// </summary>
    public bool InspectTls { get; set; } = true;

    /// <summary>
    /// Where the gateway keeps its certificate authority (<c>egress-ca.crt</c> and its key). The
    /// server sets it to <c>egress-ca</c> in its data directory.
    /// </summary>
    public string? CertificateDirectory { get; set; }

    /// <summary>
    /// PEM files of further root certificates that the gateway accepts from upstreams when it
    /// inspects TLS, besides this machine's trust store; tests name their own servers' here.
    /// </summary>
    public string[] TrustedUpstreamCertificates { get; set; } = [];

    /// <summary>
    /// How many decisions a second, on average, are recorded for one sandbox (twenty times as
    /// many at once); past that they are counted in the server log instead, so that a sandbox
    /// asking for endless names cannot fill the store.
    /// </summary>
    public int MaxDecisionsPerSecond { get; set; } = 50;

    /// <summary>
    /// How many name lookups a second, on average, the gateway answers for one sandbox (ten times
    /// as many at once); past that it answers <c>REFUSED</c>.
    /// </summary>
    public int MaxLookupsPerSecond { get; set; } = 200;

    /// <summary>How long the gateway waits for an upstream to accept a connection.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a forwarded connection that one side has closed may stay without a byte from the
    /// other before the gateway ends it.
    /// </summary>
    public TimeSpan HalfClosedIdleTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
