namespace Berth.Runtime;

/// <summary>Settings for the container runtime and for building environment images.</summary>
public sealed class RuntimeOptions
{
    /// <summary>The configuration section these settings are read from.</summary>
    public const string SectionName = "Runtime";

    /// <summary>Docker Engine API endpoint: <c>unix://</c>, <c>tcp://</c> or <c>http://</c>.</summary>
    public string DockerEndpoint { get; set; } = "unix:///var/run/docker.sock";

    /// <summary>
    /// Image reference that environment images are built from. When null, Berth makes a
    /// Debian base image with mmdebstrap from this machine's apt sources, once per machine.
    /// </summary>
    public string? BaseImage { get; set; }

    /// <summary>Debian suite of the base image made with mmdebstrap.</summary>
    public string BaseSuite { get; set; } = "bookworm";

    /// <summary>Path or name of the mmdebstrap program.</summary>
    public string MmdebstrapPath { get; set; } = "mmdebstrap";

    /// <summary>
    /// Directory of this machine's locally added CA certificates (<c>*.crt</c>), which the base
    /// image made with mmdebstrap trusts too, so that TLS through a machine's intercepting proxy
    /// works in builds and sessions as it does on the host. Empty to trust only Debian's CAs.
    /// </summary>
    public string HostCertificateDirectory { get; set; } = "/usr/local/share/ca-certificates";

    /// <summary>Directory whose sources.list and sources.list.d the base image's apt sources come from.</summary>
    public string AptConfigDirectory { get; set; } = "/etc/apt";

    /// <summary>Package index that pip installs from (PEP 503 simple API).</summary>
    public string PipIndexUrl { get; set; } = "https://pypi.org/simple";

    /// <summary>Registry that npm installs from.</summary>
    public string NpmRegistryUrl { get; set; } = "https://registry.npmjs.org/";

    /// <summary>Value of the <c>berth.instance</c> label on everything this server creates.</summary>
    public string InstanceName { get; set; } = "berth";

    /// <summary>How many of a failed step's last output lines a build failure carries.</summary>
    public int FailureLogTailLines { get; set; } = 40;
}
